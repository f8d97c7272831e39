using Gateway.Core.Platforms;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Platforms;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Connections;

public sealed record DiscoveryCounts(int Accounts, int Pixels, int Added);

/// <summary>
/// Finds the pixels a token can use (TikTok: advertiser/info + pixel/list per advertiser; Meta: me/adaccounts +
/// act_{id}/adspixels) and upserts them as <see cref="Destination"/> rows of a connection. New pixels start
/// disabled: nothing is sent anywhere until a person enables and routes them.
/// </summary>
public sealed class PixelDiscovery(PlatformAdapters adapters)
{
    /// <param name="accountIds">Accounts the token was granted; ignored by platforms that list their own.</param>
    public Task<IReadOnlyList<DiscoveredAccount>> DiscoverAsync(Platform platform, string accessToken, IReadOnlyList<string> accountIds, CancellationToken ct) =>
        adapters.For(platform).DiscoverAsync(accessToken, accountIds, ct);

    /// <summary>Adds or renames the connection's destinations; pixels no longer listed are kept (their history stays).</summary>
    public static async Task<DiscoveryCounts> ApplyAsync(GatewayDbContext db, Connection connection, IReadOnlyList<DiscoveredAccount> accounts, DateTime now, CancellationToken ct)
    {
        var existing = await db.Destinations.Where(d => d.ConnectionId == connection.Id).ToDictionaryAsync(d => d.PixelKey, StringComparer.Ordinal, ct);
        var pixels = 0;
        var added = 0;
        foreach (var account in accounts)
        {
            foreach (var pixel in account.Pixels.DistinctBy(p => p.PixelKey))
            {
                pixels++;
                if (existing.TryGetValue(pixel.PixelKey, out var d))
                {
                    d.Name = Trim(pixel.Name, 200);
                    d.AccountId = account.AccountId;
                    d.AccountName = account.AccountName is null ? null : Trim(account.AccountName, 200);
                    continue;
                }
                var destination = new Destination
                {
                    ConnectionId = connection.Id,
                    Platform = connection.Platform,
                    PixelKey = pixel.PixelKey,
                    Name = Trim(pixel.Name, 200),
                    AccountId = account.AccountId,
                    AccountName = account.AccountName is null ? null : Trim(account.AccountName, 200),
                    Enabled = false,
                    DiscoveredAt = now,
                };
                db.Destinations.Add(destination);
                existing[pixel.PixelKey] = destination;
                added++;
            }
        }
        return new DiscoveryCounts(accounts.Count, pixels, added);
    }

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..max];
}
