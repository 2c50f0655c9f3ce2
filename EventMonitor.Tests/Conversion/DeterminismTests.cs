using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace EventMonitor.Tests.Conversion;

/// <summary>
/// The full golden run through the <c>convert</c> command as a child process, once under
/// TZ=UTC LANG=C.UTF-8 and once under TZ=Pacific/Auckland LANG=tr_TR.UTF-8: byte-identical output,
/// equal to the reviewed golden files.
/// </summary>
public sealed class DeterminismTests
{
    [Fact]
    public async Task Golden_run_is_byte_identical_across_time_zones_and_locales()
    {
        var cases = Directory.GetFiles(ConversionHarness.TestDataDirectory, "*.html").Order(StringComparer.Ordinal).ToList();
        var utc = await HashesAsync(cases, "UTC", "C.UTF-8");
        var auckland = await HashesAsync(cases, "Pacific/Auckland", "tr_TR.UTF-8");

        Assert.Equal(utc, auckland);
        foreach (var file in cases)
        {
            var golden = await File.ReadAllTextAsync(Path.ChangeExtension(file, ".expected.md"), TestContext.Current.CancellationToken);
            var markdown = golden[(golden.IndexOf('\n', StringComparison.Ordinal) + 1)..];
            Assert.Equal(Hash(markdown), utc[Path.GetFileName(file)]);
        }
    }

    private static async Task<Dictionary<string, string>> HashesAsync(List<string> files, string tz, string lang)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var html = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "EventMonitor.Functions.dll"), "convert", file, "--base-url", ConversionHarness.SourceOf(html).AbsoluteUri, "--no-assets" })
            {
                start.ArgumentList.Add(arg);
            }
            start.Environment["TZ"] = tz;
            start.Environment["LANG"] = lang;
            start.Environment["LC_ALL"] = lang;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"{Path.GetFileName(file)}: {await stderr}");
            hashes[Path.GetFileName(file)] = Hash(await stdout);
        }
        return hashes;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
