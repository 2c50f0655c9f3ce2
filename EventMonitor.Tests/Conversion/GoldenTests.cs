using EventMonitor.Functions.Conversion;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EventMonitor.Tests.Conversion;

/// <summary>
/// Golden files: <c>TestData/Conversion/&lt;case&gt;.html</c> → <c>&lt;case&gt;.expected.md</c>, through the
/// worker's converter (fetch excluded; the fetch path has its own tests). Expected files are read and
/// checked by hand; <c>UPDATE_GOLDEN=1</c> rewrites them for that review.
/// </summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Cases() =>
        [.. Directory.GetFiles(ConversionHarness.TestDataDirectory, "*.html").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Page_converts_to_its_reviewed_markdown(string name)
    {
        using var services = ConversionHarness.Services(assets: false);
        var html = await File.ReadAllTextAsync(Path.Combine(ConversionHarness.TestDataDirectory, name + ".html"), TestContext.Current.CancellationToken);
        var output = await ConversionHarness.ConvertFileAsync(services.GetRequiredService<SessionConverter>(), html, ConversionHarness.SourceOf(html));
        var actual = $"<!-- path: {output.RelativePath} -->\n" + output.Markdown;

        var expectedPath = Path.Combine(ConversionHarness.TestDataDirectory, name + ".expected.md");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(Path.Combine(ConversionHarness.SourceTestDataDirectory, name + ".expected.md"), actual, TestContext.Current.CancellationToken);
            return;
        }
        Assert.True(File.Exists(expectedPath), $"{name}.expected.md is missing; run with UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(await File.ReadAllTextAsync(expectedPath, TestContext.Current.CancellationToken), actual);
    }
}
