using System.Diagnostics;
using Gateway.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Browser.Tests.Snippet;

/// <summary>
/// Runs the browser snippet's own suite (wwwroot-assets/tests: node's test runner driving Debian Chromium
/// through playwright-core) as part of `dotnet test`, so the README's single test command covers it.
/// </summary>
public sealed class GatewaySnippetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Snippet_suite_passes_in_real_chromium()
    {
        var dir = Path.Combine(RepositoryPaths.Root, "wwwroot-assets", "tests");
        if (!Directory.Exists(Path.Combine(dir, "node_modules")))
            Assert.Equal(0, await RunAsync("npm", "ci --no-audit --no-fund", dir));
        Assert.Equal(0, await RunAsync("node", "--test", dir));
    }

    private async Task<int> RunAsync(string file, string args, string dir)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["CHROMIUM_PATH"] = BrowserApp.ChromiumPath;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);
        return process.ExitCode;
    }
}
