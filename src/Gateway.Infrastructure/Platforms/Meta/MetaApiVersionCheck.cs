using Gateway.Core.Platforms.Meta;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Platforms.Meta;

/// <summary>The configured Meta API version judged against today's date (docs/platforms.md#meta-api-version).</summary>
public sealed class MetaApiVersionCheck(IOptions<PlatformOptions> options, TimeProvider time)
{
    public MetaVersionStatus Current() =>
        MetaApiVersions.Assess(options.Value.Meta.GraphVersion, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
}

/// <summary>Says at start-up, in the log, when the configured Meta API version is near or past its expiry.</summary>
internal sealed partial class MetaApiVersionStartupLog(MetaApiVersionCheck check, ILogger<MetaApiVersionStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var status = check.Current();
        switch (status.State)
        {
            case MetaVersionState.Expired: LogExpired(status.Message); break;
            case MetaVersionState.ExpiresSoon or MetaVersionState.Unknown: LogWarning(status.Message); break;
            default: LogCurrent(status.Message); break;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    private partial void LogExpired(string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private partial void LogWarning(string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private partial void LogCurrent(string message);
}
