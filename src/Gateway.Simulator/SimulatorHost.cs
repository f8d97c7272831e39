using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Simulator;

/// <summary>
/// The simulator as its own Kestrel server (loopback by default), for tests, crash tests and benchmarks where the
/// gateway runs — and may be killed — in another process while this one keeps the record.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        State = app.Services.GetRequiredService<SimulatorState>();
        var prefix = State.Options.PathPrefix.Trim('/');
        PrefixAddress = new Uri(baseAddress, prefix.Length == 0 ? "" : prefix + "/");
    }

    /// <summary>Server root, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Root of the simulator routes, e.g. http://127.0.0.1:41234/sim/.</summary>
    public Uri PrefixAddress { get; }

    public SimulatorState State { get; }

    /// <summary>Use instead of https://business-api.tiktok.com (no trailing slash).</summary>
    public string TikTokBaseUrl => new Uri(PrefixAddress, "tiktok").ToString();

    /// <summary>Use instead of https://graph.facebook.com.</summary>
    public string MetaGraphBaseUrl => new Uri(PrefixAddress, "meta-graph").ToString();

    /// <summary>Use instead of https://www.facebook.com.</summary>
    public string FacebookBaseUrl => new Uri(PrefixAddress, "facebook").ToString();

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, string url = "http://127.0.0.1:0")
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        // A hanging request must not hold DisposeAsync for the default 30 s.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton(options);
        builder.Services.AddPlatformSimulator();
        if (options.TimeProvider is null)
            builder.Services.AddSingleton(TimeProvider.System);

        var app = builder.Build();
        app.MapPlatformSimulator();
        await app.StartAsync();
        var address = app.Urls.First();
        return new SimulatorHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
