using Gateway.Infrastructure.Platforms;
using Gateway.Infrastructure.Ingestion;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Events;
using Gateway.Core.Mapping;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Mapping;
using Gateway.Infrastructure.Persistence;
using Gateway.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Mappings;

/// <summary>One canonical name with its platform-wide TikTok and Meta names (null = not sent).</summary>
public sealed record DefaultMappingRow(string CanonicalName, string? TikTokName, string? MetaName, IReadOnlyList<MappingIssue> Issues);

public sealed record OverrideRow(int Id, Platform Platform, string CanonicalName, string? PlatformName, int DestinationId, string Destination, IReadOnlyList<MappingIssue> Issues);

public sealed record MappingTable(IReadOnlyList<DefaultMappingRow> Defaults, IReadOnlyList<OverrideRow> Overrides, IReadOnlyList<MappingIssue> Problems);

public sealed record MappingPreview(string Destination, Platform Platform, string? PlatformName, string Reason, string? Json);

/// <summary>Result of a save: refused when the validator reports an error, saved (with any warnings) otherwise.</summary>
public sealed record MappingSaveResult(bool Saved, IReadOnlyList<MappingIssue> Issues);

/// <summary>Event-name mappings (Admin only): defaults, per-pixel overrides, validation and a payload preview.</summary>
public sealed class MappingAdministration(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time, RoutingTable routing, PlatformAdapters adapters)
{
    public async Task<MappingTable> LoadAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.EventMappings.AsNoTracking().ToListAsync(ct);
        var destinations = await db.Destinations.AsNoTracking().ToDictionaryAsync(d => d.Id, d => (d.PixelKey, Label: $"{d.Platform} · {d.Name} ({d.PixelKey})"), ct);
        var rules = await MappingRules.LoadAsync(db, ct);
        var issues = MappingValidator.Validate(rules);
        IReadOnlyList<MappingIssue> For(Platform p, string canonical, string? pixel) =>
            issues.Where(i => i.Rule.Platform == p && i.Rule.PixelKey == pixel && string.Equals(i.Rule.CanonicalName, canonical, StringComparison.OrdinalIgnoreCase)).ToList();

        var defaults = rows.Where(r => r.DestinationId is null)
            .GroupBy(r => r.CanonicalName, StringComparer.OrdinalIgnoreCase)
            .Select(g => new DefaultMappingRow(g.First().CanonicalName,
                g.FirstOrDefault(r => r.Platform == Platform.TikTok)?.PlatformName,
                g.FirstOrDefault(r => r.Platform == Platform.Meta)?.PlatformName,
                For(Platform.TikTok, g.Key, null).Concat(For(Platform.Meta, g.Key, null)).ToList()))
            .OrderBy(r => r.CanonicalName, StringComparer.Ordinal).ToList();
        var overrides = rows.Where(r => r.DestinationId is not null)
            .Select(r =>
            {
                var dest = destinations.GetValueOrDefault(r.DestinationId!.Value);
                return new OverrideRow(r.Id, r.Platform, r.CanonicalName, r.PlatformName, r.DestinationId.Value, dest.Label ?? "(removed destination)",
                    dest.PixelKey is null ? [] : For(r.Platform, r.CanonicalName, dest.PixelKey));
            })
            .OrderBy(r => r.Destination).ThenBy(r => r.CanonicalName).ToList();
        return new MappingTable(defaults, overrides, issues);
    }

    /// <summary>Upserts the platform-wide rule (or a pixel override when <paramref name="destinationId"/> is set).</summary>
    public async Task<MappingSaveResult> SaveAsync(Platform platform, string canonicalName, string? platformName, int? destinationId, string? user, CancellationToken ct = default)
    {
        canonicalName = canonicalName.Trim();
        platformName = string.IsNullOrWhiteSpace(platformName) ? null : platformName;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string? pixel = null;
        if (destinationId is { } id)
        {
            var destination = await db.Destinations.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
            if (destination is null || destination.Platform != platform)
                return new MappingSaveResult(false, [new MappingIssue(new EventMappingRule(platform, canonicalName, platformName, null), MappingIssueSeverity.Error, "Choose a destination pixel of the same platform.")]);
            pixel = destination.PixelKey;
        }
        var rule = new EventMappingRule(platform, canonicalName, platformName, pixel);
        var issues = MappingValidator.Validate(rule);
        if (issues.Any(i => i.Severity == MappingIssueSeverity.Error))
            return new MappingSaveResult(false, issues);

        var existing = await db.EventMappings.FirstOrDefaultAsync(m => m.Platform == platform && m.DestinationId == destinationId && m.CanonicalName == canonicalName, ct);
        if (existing is null)
        {
            existing = new EventMapping { Platform = platform, CanonicalName = canonicalName, DestinationId = destinationId };
            db.EventMappings.Add(existing);
        }
        existing.PlatformName = platformName;
        existing.UpdatedAt = time.GetUtcNow().UtcDateTime;
        existing.UpdatedBy = user;
        await db.SaveChangesAsync(ct);
        routing.Invalidate();
        return new MappingSaveResult(true, issues);
    }

    public async Task DeleteOverrideAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.EventMappings.Where(m => m.Id == id && m.DestinationId != null).ExecuteDeleteAsync(ct);
        routing.Invalidate();
    }

    public async Task<IReadOnlyList<(int Id, Platform Platform, string Label)>> DestinationsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.Destinations.AsNoTracking().OrderBy(d => d.Platform).ThenBy(d => d.Name).ToListAsync(ct);
        return all.Select(d => (d.Id, d.Platform, $"{d.Platform} · {d.Name} ({d.PixelKey})")).ToList();
    }

    /// <summary>What a sample event named <paramref name="canonicalName"/> becomes for each destination (or each platform when none exist).</summary>
    public async Task<IReadOnlyList<MappingPreview>> PreviewAsync(string canonicalName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await MappingRules.LoadAsync(db, ct);
        var destinations = await db.Destinations.AsNoTracking().OrderBy(d => d.Platform).ThenBy(d => d.Name)
            .Select(d => new { d.Platform, d.PixelKey, d.Name, d.TestEventCode }).ToListAsync(ct);
        var targets = destinations.Count > 0
            ? destinations.Select(d => (d.Platform, Pixel: (string?)d.PixelKey, Label: $"{d.Platform} · {d.Name} ({d.PixelKey})", d.TestEventCode)).ToList()
            : adapters.All.Select(a => (a.Platform, Pixel: (string?)null, Label: $"{a.Label} (no pixel connected yet)", TestEventCode: (string?)null)).ToList();
        var sample = Sample(canonicalName, time.GetUtcNow());
        return targets.Select(t =>
        {
            var mapped = EventNameResolver.Resolve(t.Platform, canonicalName, rules, t.Pixel);
            var json = mapped.IsSent
                ? PayloadPreview.Build(adapters.For(t.Platform), t.Pixel ?? "CXXXXXXXXXXXXXXXXXXX", t.TestEventCode, new OutgoingEvent(0, mapped.Name!, sample))
                : null;
            return new MappingPreview(t.Label, t.Platform, mapped.Name, mapped.Reason, json);
        }).ToList();
    }

    /// <summary>A made-up visitor; identifiers are hashed as ingestion would, so the preview shows the real shape.</summary>
    public static AcceptedEvent Sample(string canonicalName, DateTimeOffset now) => new()
    {
        EventName = canonicalName,
        EventId = "preview-0001",
        EventTime = now.ToUnixTimeSeconds(),
        ActionSource = "website",
        EventSourceUrl = "https://shop.example.com/checkout/",
        Source = EventSource.Server,
        User = new HashedUserData
        {
            Email = Sha("jane.doe@example.com"), PhoneTikTok = Sha("+4915112345678"), PhoneMeta = Sha("4915112345678"),
            ExternalIdTikTok = Sha("customer-42"), ExternalIdMeta = Sha("customer-42"),
            ClientIpAddress = "203.0.113.7", ClientUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/141.0",
            Ttp = "2VxampleTtpCookieValue0001", Fbp = "fb.1.1700000000000.1234567890",
        },
        Custom = new CustomData { Value = 49.90m, Currency = "EUR", ContentType = "product", OrderId = "order-1001", Contents = [new ContentItem("SKU-1", 1, 49.90m, "T-shirt", null)] },
        Consent = new ConsentOutcome { AdUserDataGranted = true, AdPersonalizationGranted = true, FromSiteDefault = false },
    };

    private static string Sha(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
