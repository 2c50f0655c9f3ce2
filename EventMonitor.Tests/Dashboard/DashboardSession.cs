using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using EventMonitor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EventMonitor.Tests.Dashboard;

/// <summary>
/// One browser tab on the dashboard at a given size, recording what would go unseen: console
/// errors, uncaught exceptions and Content-Security-Policy violations.
/// </summary>
public sealed class DashboardSession : IAsyncDisposable
{
    public static readonly (int Width, int Height) Desktop = (1280, 800);
    public static readonly (int Width, int Height) Phone = (390, 844);

    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];
    private readonly Uri _base;

    private DashboardSession(IBrowserContext context, IPage page, Uri baseAddress)
    {
        _context = context;
        Page = page;
        _base = baseAddress;
    }

    public IPage Page { get; }

    public static async Task<DashboardSession> OpenAsync(IBrowser browser, Uri baseAddress, (int Width, int Height) size)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = size.Width, Height = size.Height },
            AcceptDownloads = true,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        // Runs before any page script; the CSP cannot block it, so it sees every violation.
        await context.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
            """);
        var page = await context.NewPageAsync();
        var session = new DashboardSession(context, page, baseAddress);
        page.Console += (_, message) =>
        {
            // A 401 before the key is entered is expected; a refused resource or a script error is not.
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal))
            {
                session.Record($"console error: {message.Text}");
            }
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                session.Record($"CSP: {message.Text}");
            }
        };
        page.PageError += (_, error) => session.Record($"uncaught: {error}");
        return session;
    }

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }

    public async Task GotoAsync(string hash = "")
    {
        await Page.GotoAsync(new Uri(_base, "monitor" + hash).ToString());
        await Page.Locator("main h1").First.WaitForAsync();
    }

    /// <summary>Enters the key once in the header panel, as a user would.</summary>
    public async Task EnterKeyAsync(string key)
    {
        var panel = Page.Locator("#key-panel");
        if (await panel.GetAttributeAsync("open") is null)
        {
            await Page.Locator("#key-panel summary").ClickAsync();
        }
        await Page.GetByLabel("API key", new() { Exact = true }).FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#key-summary")).ToHaveTextAsync("API key: set");
    }

    /// <summary>The WCAG 2.x A and AA rules; axe's other best-practice rules are advisory and slow the run down.</summary>
    private static readonly AxeRunOptions WcagRules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    /// <summary>Fails on serious or critical axe violations, CSP violations, console errors or uncaught exceptions.</summary>
    public async Task AssertAccessibleAsync(string where)
    {
        var axe = await Page.RunAxe(WcagRules);
        var bad = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(bad.Count == 0, $"axe on {where}:\n{string.Join('\n', bad)}");
        await AssertNoProblemsAsync(where);
    }

    /// <summary>Fails on CSP violations (seen by the page or reported in the console), console errors or uncaught exceptions so far.</summary>
    public async Task AssertNoProblemsAsync(string where)
    {
        var csp = await Page.EvaluateAsync<string[]>("() => window.__cspViolations");
        List<string> problems;
        lock (_problems)
        {
            problems = [.. _problems, .. csp.Select(v => "CSP violation: " + v)];
        }
        Assert.True(problems.Count == 0, $"{where}:\n{string.Join('\n', problems)}");
    }

    /// <summary>Writes TestResults/screenshots/{name}-{width}x{height}.png; scripts/screenshots.sh copies them into docs/.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var size = Page.ViewportSize!;
        var directory = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        // Let bar transitions finish so the picture shows the final widths; no passing toast in the picture.
        await Page.WaitForTimeoutAsync(500);
        await Page.Locator("#status").EvaluateAsync("e => { e.textContent = ''; }");
        await Page.Mouse.MoveAsync(size.Width - 1, size.Height - 1);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}-{size.Width}x{size.Height}.png") });
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
