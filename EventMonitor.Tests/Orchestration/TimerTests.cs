using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>
/// Standalone timers run in one process at a time (a blob lease) and keep their schedule status in
/// Blob Storage. Each run is observed in the runner's own log line, which it writes after the run's
/// status is stored, and the handler's reply, which the runner logs as the Functions host does.
/// </summary>
public sealed partial class TimerTests(LocalStack stack)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private Dictionary<string, string?> Environment(PageServer pages, string database, string reconcilerSchedule)
    {
        var env = AppFixture.Isolated(stack, database, new TestKeys(), pages);
        env["ReconcilerSchedule"] = reconcilerSchedule;
        env["ArchiveSchedule"] = "0 0 0 1 1 *";
        env["TriggerRunner__TimerLease"] = Lease.ToString("c", CultureInfo.InvariantCulture);
        env["Logging__LogLevel__EventMonitor.Functions.CustomHandler"] = "Information";
        env["Logging__Console__FormatterOptions__SingleLine"] = "true";
        return env;
    }

    [Fact]
    public async Task An_every_second_timer_runs_each_occurrence_once_across_two_processes_and_the_other_takes_over_when_the_holder_dies()
    {
        await using var pages = new PageServer();
        var database = "timer" + Guid.NewGuid().ToString("N")[..10];
        var env = Environment(pages, database, "* * * * * *");
        var apps = new[] { await AppProcess.StartAsync(env), await AppProcess.StartAsync(env) };
        try
        {
            await Wait.UntilAsync(() => apps.Sum(a => Runs(a).Count) >= 6, TimeSpan.FromSeconds(40), () => Describe(apps));
            var holder = apps.Single(a => Runs(a).Count > 0);
            var other = apps.Single(a => a != holder);
            AssertDistinct(apps);
            Assert.All(Runs(holder), r => Assert.True(r.Succeeded, $"a run failed:\n{holder.Output}"));

            holder.Process.Kill();
            await holder.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var holderRuns = Runs(holder);
            // The lease runs out at most one lease after the kill; the other process tries every third of a lease.
            await Wait.UntilAsync(() => Runs(other).Count >= 1, Lease + Lease / 3 + TimeSpan.FromSeconds(3), () => Describe(apps));
            await Wait.UntilAsync(() => Runs(other).Count >= 3, TimeSpan.FromSeconds(10), () => Describe(apps));

            var takeover = Runs(other);
            // The runs missed while no process held the lease are one past-due run, which knows the last run.
            Assert.True(takeover[0].PastDue, Describe(apps));
            Assert.True(takeover[0].Last >= holderRuns[^1].Occurrence, Describe(apps));
            Assert.True(takeover[0].Occurrence > holderRuns[^1].Occurrence, Describe(apps));
            Assert.All(takeover.Skip(1), r => Assert.False(r.PastDue));
            AssertDistinct(apps);
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_run_missed_while_no_process_was_up_fires_at_start_as_past_due_with_the_persisted_last_run()
    {
        await using var pages = new PageServer();
        var database = "timer" + Guid.NewGuid().ToString("N")[..10];
        // Yearly, so the only run during the test is the missed one.
        var env = Environment(pages, database, "0 0 0 1 1 *");
        var last = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var missed = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var status = new BlobClient(stack.StorageConnectionString, "azure-webjobs-hosts", $"timers/{database}/Host.Functions.Reconciler/status");
        await status.GetParentBlobContainerClient().CreateIfNotExistsAsync();
        await status.UploadAsync(BinaryData.FromString($"{{\"Last\":\"{last:O}\",\"Next\":\"{missed:O}\",\"LastUpdated\":\"{last:O}\"}}"), overwrite: true);

        await using var app = await AppProcess.StartAsync(env);
        await Wait.UntilAsync(() => Runs(app).Count >= 1 && app.Output.Contains("Reconciler: Reconciler (past due:", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => app.Output);

        var run = Assert.Single(Runs(app));
        Assert.Equal(missed, run.Occurrence);
        Assert.True(run.PastDue);
        Assert.Equal(last, run.Last);
        // What the handler was given, in its own words.
        Assert.Contains("Reconciler: Reconciler (past due: True)", app.Output, StringComparison.Ordinal);
        var stored = JsonNode.Parse((await status.DownloadContentAsync()).Value.Content.ToString())!;
        Assert.Equal(missed, DateTimeOffset.Parse(stored["Last"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(new DateTimeOffset(DateTime.UtcNow.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(stored["Next"]!.GetValue<string>(), CultureInfo.InvariantCulture));
    }

    private sealed record Run(DateTimeOffset Occurrence, bool PastDue, DateTimeOffset? Last, bool Succeeded);

    private static List<Run> Runs(AppProcess app) =>
        [.. RunLine().Matches(app.Output).Select(m => new Run(
            DateTimeOffset.Parse(m.Groups["occurrence"].Value, CultureInfo.InvariantCulture),
            bool.Parse(m.Groups["pastDue"].Value),
            m.Groups["last"].Value is "" or "(null)" ? null : DateTimeOffset.Parse(m.Groups["last"].Value, CultureInfo.InvariantCulture),
            bool.Parse(m.Groups["succeeded"].Value)))];

    private static void AssertDistinct(AppProcess[] apps)
    {
        var occurrences = apps.SelectMany(Runs).Select(r => r.Occurrence).ToList();
        Assert.True(occurrences.Distinct().Count() == occurrences.Count, $"an occurrence ran twice:\n{Describe(apps)}");
    }

    private static string Describe(AppProcess[] apps) =>
        string.Join("\n----\n", apps.Select(a => string.Join("\n", a.Output.Split('\n').Where(l => l.Contains("Timer ", StringComparison.Ordinal) || l.Contains("lease", StringComparison.OrdinalIgnoreCase)))));

    [GeneratedRegex(@"Timer Reconciler ran for (?<occurrence>\S+) \(past due: (?<pastDue>\w+), last: (?<last>\S*), succeeded: (?<succeeded>\w+)\)")]
    private static partial Regex RunLine();
}
