using System.Collections.Concurrent;
using Gateway.Core.Bots;
using Gateway.Core.Consent;
using Gateway.Core.Events;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Sites;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Ingestion;

/// <summary>
/// Resolves an ingestion key to its site. Lookups are cached for a few seconds because every ingest
/// request needs one; a revoked key or changed site setting therefore takes effect within
/// <see cref="CacheFor"/> (short enough for revocation, long enough to keep the hot path off the database).
/// </summary>
public sealed class IngestionKeyAuthenticator(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (IngestionCaller? Caller, DateTimeOffset Until)> _cache = new();

    public async Task<IngestionCaller?> AuthenticateAsync(string? presentedKey, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(presentedKey) || presentedKey.Length > 200) return null;
        var hash = IngestionKeySecrets.Hash(presentedKey.Trim());
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Until > now) return hit.Caller;

        var caller = await LoadAsync(hash, ct);
        _cache[hash] = (caller, now + CacheFor);
        return caller;
    }

    /// <summary>Forget cached keys so a revocation from the dashboard applies at once on this node.</summary>
    public void Invalidate() => _cache.Clear();

    private async Task<IngestionCaller?> LoadAsync(string hash, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.IngestionKeys.AsNoTracking().Include(k => k.Site)
            .FirstOrDefaultAsync(k => k.SecretHash == hash && k.RevokedAt == null, ct);
        if (key?.Site is null) return null;
        var settings = await db.SystemSettings.AsNoTracking().FirstAsync(s => s.Id == 1, ct);
        var site = key.Site;
        var deniedCountries = ConsentRegions.Parse(site.DeniedByDefaultCountries);
        var context = new SiteContext
        {
            SiteId = site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DefaultCountry = string.IsNullOrWhiteSpace(site.DefaultPhoneCountry) ? null : site.DefaultPhoneCountry,
            Consent = new SiteConsentDefaults
            {
                Default = new ConsentDefault(site.DefaultAdUserDataGranted, site.DefaultAdPersonalizationGranted),
                KeepIpAndUserAgentWhenDenied = site.KeepIpAndUserAgentWhenDenied,
                ByCountry = deniedCountries.ToDictionary(c => c, _ => new ConsentDefault(false, false)),
                ByCountryLabel = deniedCountries.Order().SequenceEqual(ConsentRegions.EeaUkCh.Order())
                    ? ConsentRegions.EeaUkChLabel : "denied-by-default countries",
            },
            Bots = new BotFilterOptions { ExtraPatterns = SplitLines(settings.ExtraBotPatterns) },
        };
        return new IngestionCaller(key.Id, site.Id, key.Kind, context, Site.ParseOrigins(site.AllowedOrigins).Select(o => o.TrimEnd('/')).ToList(), settings.BotFilterEnabled);
    }

    /// <summary>Extra bot patterns are one per line (Settings): a pattern may itself contain spaces or commas.</summary>
    private static IReadOnlyList<string> SplitLines(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
