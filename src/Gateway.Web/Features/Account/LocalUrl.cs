namespace Gateway.Web.Features.Account;

/// <summary>Return URLs after sign-in stay on this site: anything else becomes "/".</summary>
public static class LocalUrl
{
    public static string Safe(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
