using System.Diagnostics;

namespace Gateway.Bench;

/// <summary>The gateway as a real OS process (Release build), on loopback, with its own data folder.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    public string BaseUrl { get; }
    public int Pid => _process.Id;

    private AppProcess(Process process, string baseUrl) { _process = process; BaseUrl = baseUrl; }

    public static async Task<AppProcess> StartAsync(string appDll, int port, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("dotnet", $"\"{appDll}\" --urls http://127.0.0.1:{port}")
        {
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // As the Dockerfile and launchSettings.json run it: a 64 MB gen0 budget (docs/operations.md#memory-and-gc).
        psi.Environment["DOTNET_GCgen0size"] = "0x4000000";
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null && Environment.GetEnvironmentVariable("BENCH_APP_STDOUT") == "1") Console.WriteLine("[app] " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[app] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, $"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"app exited with {process.ExitCode}");
            try { if ((await http.GetAsync(app.BaseUrl + "/healthz")).IsSuccessStatusCode) return app; } catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("app did not become healthy in 60 s");
    }

    /// <summary>Peak resident set size (VmHWM) in MB, read from /proc.</summary>
    public double PeakRssMb()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmHWM:")) return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false); // SIGKILL is fine: the data folder is thrown away
        await _process.WaitForExitAsync();
    }

    /// <summary>Graceful stop (SIGTERM) so the next run on the same database starts clean.</summary>
    public async Task StopAsync()
    {
        using var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
        await term!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }
}
