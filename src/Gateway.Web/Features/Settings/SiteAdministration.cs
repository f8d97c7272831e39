using Gateway.Core.Normalization;
using Gateway.Core.Consent;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Ingestion;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Settings;
using Gateway.Infrastructure.Sites;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Settings;

public sealed class SiteForm
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string DefaultPhoneCountry { get; set; } = "US";
    public bool DefaultAdUserDataGranted { get; set; } = true;
    public bool DefaultAdPersonalizationGranted { get; set; } = true;
    public bool KeepIpAndUserAgentWhenDenied { get; set; } = true;
    /// <summary>ISO countries where an event without consent defaults to denied (comma separated).</summary>
    public string DeniedByDefaultCountries { get; set; } = "";
    /// <summary>One origin per line (scheme://host[:port]).</summary>
    public string AllowedOrigins { get; set; } = "";
}

public sealed record SiteItem(int Id, string Name, string DefaultPhoneCountry, bool DefaultAdUserDataGranted, bool DefaultAdPersonalizationGranted,
    bool KeepIpAndUserAgentWhenDenied, string? AllowedOrigins, int ActiveKeys, string? DeniedByDefaultCountries = null);

public sealed record KeyItem(int Id, int SiteId, string Site, IngestionKeyKind Kind, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

public sealed record CreatedKey(int Id, string Plaintext, string Prefix, IngestionKeyKind Kind);


public sealed record SettingsForm(int RetentionDays, bool BotFilterEnabled, string? ExtraBotPatterns);

/// <summary>Sites, ingestion keys, system settings and test-event codes (Settings page, Admin only).</summary>
public sealed class SiteAdministration(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time, IngestionKeyAuthenticator keys)
{
    public async Task<IReadOnlyList<SiteItem>> SitesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Sites.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new SiteItem(s.Id, s.Name, s.DefaultPhoneCountry, s.DefaultAdUserDataGranted, s.DefaultAdPersonalizationGranted,
                s.KeepIpAndUserAgentWhenDenied, s.AllowedOrigins, db.IngestionKeys.Count(k => k.SiteId == s.Id && k.RevokedAt == null), s.DeniedByDefaultCountries))
            .ToListAsync(ct);
    }

    public static IReadOnlyList<string> Validate(SiteForm form)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(form.Name)) errors.Add("Name is required.");
        else if (form.Name.Trim().Length > 200) errors.Add("Name is at most 200 characters.");
        if (form.DefaultPhoneCountry is not { Length: 2 } c || !c.All(char.IsAsciiLetter))
            errors.Add("Default phone country must be a two-letter ISO 3166 code, e.g. US or DE.");
        foreach (var country in ConsentRegions.Parse(form.DeniedByDefaultCountries).Where(c => !Countries.IsAlpha2(c)))
            errors.Add($"'{country}' is not a two-letter ISO 3166 country code.");
        foreach (var origin in Site.ParseOrigins(form.AllowedOrigins))
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.AbsolutePath != "/" || origin.EndsWith('/') || uri.Query.Length > 0)
                errors.Add($"'{origin}' is not an origin: use scheme://host[:port] without a path, e.g. https://shop.example.com.");
        }
        return errors;
    }

    public async Task<IReadOnlyList<string>> SaveSiteAsync(SiteForm form, CancellationToken ct = default)
    {
        var errors = Validate(form);
        if (errors.Count > 0) return errors;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = form.Name.Trim();
        if (await db.Sites.AnyAsync(s => s.Name == name && s.Id != form.Id, ct)) return [$"A site named '{name}' already exists."];
        var site = form.Id == 0 ? null : await db.Sites.FirstOrDefaultAsync(s => s.Id == form.Id, ct);
        if (site is null)
        {
            if (form.Id != 0) return ["That site no longer exists."];
            site = new Site { Name = name, CreatedAt = time.GetUtcNow().UtcDateTime };
            db.Sites.Add(site);
        }
        site.Name = name;
        site.DefaultPhoneCountry = form.DefaultPhoneCountry.ToUpperInvariant();
        site.DefaultAdUserDataGranted = form.DefaultAdUserDataGranted;
        site.DefaultAdPersonalizationGranted = form.DefaultAdPersonalizationGranted;
        site.KeepIpAndUserAgentWhenDenied = form.KeepIpAndUserAgentWhenDenied;
        var denied = ConsentRegions.Parse(form.DeniedByDefaultCountries);
        site.DeniedByDefaultCountries = denied.Count == 0 ? null : string.Join(',', denied);
        var origins = Site.ParseOrigins(form.AllowedOrigins);
        site.AllowedOrigins = origins.Length == 0 ? null : string.Join('\n', origins);
        await db.SaveChangesAsync(ct);
        keys.Invalidate(); // consent defaults and origins travel with the cached key
        form.Id = site.Id;
        return [];
    }

    public static SiteForm FormFor(SiteItem site) => new()
    {
        Id = site.Id, Name = site.Name, DefaultPhoneCountry = site.DefaultPhoneCountry, DefaultAdUserDataGranted = site.DefaultAdUserDataGranted,
        DefaultAdPersonalizationGranted = site.DefaultAdPersonalizationGranted, KeepIpAndUserAgentWhenDenied = site.KeepIpAndUserAgentWhenDenied,
        DeniedByDefaultCountries = site.DeniedByDefaultCountries?.Replace(",", ", ", StringComparison.Ordinal) ?? "",
        AllowedOrigins = site.AllowedOrigins ?? "",
    };

    /// <summary>Active keys first, newest first, one page at a time.</summary>
    public async Task<(IReadOnlyList<KeyItem> Rows, int Count)> KeysAsync(int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.IngestionKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .Skip(skip).Take(take)
            .Select(k => new KeyItem(k.Id, k.SiteId, k.Site!.Name, k.Kind, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(ct);
        return (rows, await db.IngestionKeys.CountAsync(ct));
    }

    /// <summary>Only the hash is stored; the returned plaintext is the one and only time anyone sees the key.</summary>
    public async Task<CreatedKey?> CreateKeyAsync(int siteId, IngestionKeyKind kind, string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Sites.AnyAsync(s => s.Id == siteId, ct)) return null;
        var secret = IngestionKeySecrets.Create(kind);
        var key = new IngestionKey
        {
            SiteId = siteId, Kind = kind, Name = string.IsNullOrWhiteSpace(name) ? $"{kind} key" : name.Trim(),
            Prefix = secret.Prefix, SecretHash = secret.SecretHash, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.IngestionKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new CreatedKey(key.Id, secret.Plaintext, secret.Prefix, kind);
    }

    public async Task RevokeKeyAsync(int id, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.IngestionKeys.Where(k => k.Id == id && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct);
        // Revocation applies to the very next request, not after the key cache expires.
        keys.Invalidate();
    }

    public async Task<SettingsForm> SystemSettingsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.SystemSettings.AsNoTracking().FirstOrDefaultAsync(x => x.Id == 1, ct) ?? new SystemSettings();
        return new SettingsForm(s.RetentionDays, s.BotFilterEnabled, s.ExtraBotPatterns);
    }

    public async Task<IReadOnlyList<string>> SaveSystemSettingsAsync(SettingsForm form, CancellationToken ct = default)
    {
        if (form.RetentionDays is < 1 or > 3650) return ["Retention must be between 1 and 3650 days."];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.SystemSettings.FirstOrDefaultAsync(x => x.Id == 1, ct);
        if (s is null) db.SystemSettings.Add(s = new SystemSettings());
        s.RetentionDays = form.RetentionDays;
        s.BotFilterEnabled = form.BotFilterEnabled;
        s.ExtraBotPatterns = string.IsNullOrWhiteSpace(form.ExtraBotPatterns) ? null : form.ExtraBotPatterns.Trim();
        await db.SaveChangesAsync(ct);
        keys.Invalidate();
        return [];
    }
}
