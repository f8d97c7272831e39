using System.Security.Cryptography;

namespace Gateway.Infrastructure.Identity;

/// <summary>
/// Holds the one-time setup token printed to the console when the database has no user and no
/// bootstrap admin is configured. It lives in memory only: a restart prints a fresh link.
/// </summary>
public sealed class FirstRunSetup
{
    private string? _token;
    private readonly Lock _gate = new();

    public bool IsPending { get { lock (_gate) return _token is not null; } }

    public string Begin()
    {
        lock (_gate)
        {
            _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            return _token;
        }
    }

    public bool IsValid(string? token)
    {
        lock (_gate)
        {
            return _token is not null && token is not null &&
                   CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(_token), System.Text.Encoding.UTF8.GetBytes(token));
        }
    }

    /// <summary>Consumes the token; returns false when it was already used or never valid.</summary>
    public bool Complete(string token)
    {
        lock (_gate)
        {
            if (!IsValid(token)) return false;
            _token = null;
            return true;
        }
    }
}
