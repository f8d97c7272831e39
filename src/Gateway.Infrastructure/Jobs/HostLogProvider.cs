using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Hangfire's log provider is one per process (a static), but hosts come and go: tests start many in one
/// process, and two nodes starting together race to set it. A host that asks for a logger after the
/// host that set the provider was disposed gets a silent logger instead of failing its start-up. One host
/// per process (production) always logs through its own factory.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
