using Gateway.Infrastructure.Connections;
using MudBlazor;

namespace Gateway.Web.Features.Connections;

/// <summary>How a connection's state reads on the page.</summary>
public static class ConnectionDisplay
{
    public static Color StatusColor(ConnectionStatus s) => s switch
    {
        ConnectionStatus.Active => Color.Success,
        ConnectionStatus.NeedsReconnect => Color.Warning,
        _ => Color.Default,
    };

    public static string StatusText(ConnectionStatus s) => s switch
    {
        ConnectionStatus.Active => "Active",
        ConnectionStatus.NeedsReconnect => "Needs reconnect",
        _ => "Disconnected",
    };

    public static string Expiry(ConnectionView c, DateTime now) => c.Status == ConnectionStatus.Disconnected
        ? "deleted"
        : c.AccessTokenExpiresAt is { } at
            ? at <= now ? $"expired {at:yyyy-MM-dd HH:mm} UTC" : $"expires {at:yyyy-MM-dd HH:mm} UTC"
            : "does not expire";

    public static string Method(ConnectionView c) =>
        (c.Method == ConnectionMethod.OAuth ? "Signed in with OAuth" : "Connected with a token") + (c.ConnectedBy is null ? "" : $" by {c.ConnectedBy}");
}
