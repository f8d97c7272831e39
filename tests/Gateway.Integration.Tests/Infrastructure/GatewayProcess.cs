using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Simulator;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// The built gateway (src/Gateway.Web output) as a real process on a loopback port, for tests that kill it
/// with SIGKILL or run several nodes side by side. Its stderr is kept for failure messages.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    private readonly StringBuilder _errors = new();

    private GatewayProcess(Process process, int port)
    {
        Process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public Process Process { get; }
    public int Port { get; }
    public HttpClient Http { get; }
    public string Errors { get { lock (_errors) return _errors.ToString(); } }

    /// <summary>Settings every test process shares: fast dispatch against the given simulator, admin bootstrap, quiet logs.</summary>
    public static Dictionary<string, string> BaseSettings(SimulatorHost sim) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Testing",
        ["Bootstrap__AdminEmail"] = GatewayAppFactory.AdminEmail,
        ["Bootstrap__AdminPassword"] = GatewayAppFactory.AdminPassword,
        ["Simulator__Enabled"] = "false",
        ["Platforms__TikTok__ApiBaseUrl"] = sim.TikTokBaseUrl,
        ["Platforms__Meta__GraphBaseUrl"] = sim.MetaGraphBaseUrl,
        ["Dispatch__BatchSize"] = "25",
        ["Dispatch__PollInterval"] = "00:00:00.050",
        ["Dispatch__DestinationRefreshInterval"] = "00:00:00.200",
        // Lease settings stay at their defaults: recovery must be fast because of how the product works, not
        // because a test shortened the lease.
        ["Dispatch__RequestsPerSecondPerConnection"] = "500",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public static GatewayProcess Start(int port, IReadOnlyDictionary<string, string> settings)
    {
        var baseDir = AppContext.BaseDirectory; // tests/Gateway.Integration.Tests/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(baseDir).Parent!.Name;
        var webDir = Path.GetFullPath(Path.Combine(baseDir, "../../../../../src/Gateway.Web/bin", configuration, "net10.0"));
        var dll = Path.Combine(webDir, "Gateway.Web.dll");
        Assert.True(File.Exists(dll), $"gateway build output not found at {dll}");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll])
        {
            WorkingDirectory = webDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings) start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";

        var gateway = new GatewayProcess(Process.Start(start)!, port);
        // Drain the pipes so a chatty process never blocks on a full buffer; keep stderr for a failure message.
        gateway.Process.OutputDataReceived += (_, _) => { };
        gateway.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gateway._errors) gateway._errors.AppendLine(e.Data); };
        gateway.Process.BeginOutputReadLine();
        gateway.Process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>
    /// Waits for /healthz. Generous: on 2 cores a cold start competes with other test assemblies, and a cold
    /// start takes seconds, not a minute.
    /// </summary>
    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(Process.HasExited, $"gateway exited with code {(Process.HasExited ? Process.ExitCode : 0)}: {Errors}");
            try
            {
                using var response = await Http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        Assert.Fail($"gateway did not become healthy within {limit.TotalSeconds:0} s: {Errors}");
    }

    /// <summary>SIGKILL: no graceful release of anything.</summary>
    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
    }

    /// <summary>One server event with a unique event_id; returns the status the gateway gave it ("accepted", "duplicate", …).</summary>
    public static async Task<string> SendAsync(HttpClient http, string serverKey, string eventId, int i, CancellationToken ct = default)
    {
        var json = JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = eventId, event_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), action_source = "website",
            event_source_url = "https://shop.example/checkout",
            user_data = new { email = $"buyer{i}@example.com", phone = "+1 (415) 555-0123", client_ip_address = "203.0.113.7", client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120" },
            custom_data = new { value = 10 + i, currency = "EUR", order_id = "o-" + eventId },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serverKey);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"ingestion answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("results")[0].GetProperty("status").GetString()!;
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
        Http.Dispose();
    }
}
