using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Infrastructure.Connections;

/// <summary>
/// Encrypts platform tokens at rest with ASP.NET Core Data Protection, one purpose per connection, so a
/// ciphertext copied onto another connection row does not decrypt. Plaintext tokens exist only in memory
/// for the duration of a platform call.
/// </summary>
public sealed class ConnectionTokenProtector(IDataProtectionProvider provider)
{
    private IDataProtector For(int connectionId) => provider.CreateProtector("Gateway.Connections.Token.v1", connectionId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string Protect(int connectionId, string token) => For(connectionId).Protect(token);

    public string Unprotect(int connectionId, string protectedToken) => For(connectionId).Unprotect(protectedToken);
}
