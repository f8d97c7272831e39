using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Persistence;

/// <summary>Start-up work: apply migrations, make sure roles exist, create or offer the first admin.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<GatewayDbContext> dbFactory,
    RoleManager<IdentityRole> roles,
    UserManager<ApplicationUser> users,
    IOptions<BootstrapAdminOptions> bootstrap,
    FirstRunSetup setup,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>The platform-wide defaults from docs/platforms.md, stored so admins can change them (Mappings page).</summary>
    private async Task SeedDefaultMappingsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Only defaults with no platform-wide row yet: a later release's new defaults (the legacy TikTok names)
        // appear on existing installs, and an admin's changes to the others are never overwritten.
        var existing = (await db.EventMappings.AsNoTracking().Where(m => m.DestinationId == null)
            .Select(m => new { m.Platform, m.CanonicalName }).ToListAsync(ct))
            .Select(m => (m.Platform, m.CanonicalName.ToUpperInvariant())).ToHashSet();
        var missing = Gateway.Core.Mapping.DefaultEventMappings.All
            .Where(rule => !existing.Contains((rule.Platform, rule.CanonicalName.ToUpperInvariant()))).ToList();
        if (missing.Count == 0) return;
        var now = time.GetUtcNow().UtcDateTime;
        db.EventMappings.AddRange(missing.Select(rule => new Mapping.EventMapping
        {
            Platform = rule.Platform,
            CanonicalName = rule.CanonicalName,
            PlatformName = rule.PlatformName,
            UpdatedAt = now,
            UpdatedBy = "defaults",
        }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Any number for pg_advisory_lock, the same on every node: "gateway start-up" in ASCII. Several nodes
    /// starting together take turns through migrations, seeding and the first admin.
    /// </summary>
    private const long StartupLockKey = 0x6761_7465_7761_7921;

    public async Task InitializeAsync(Uri? publicBaseUrl, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (DatabaseConfiguration.ProviderOf(db.Database) != DatabaseProvider.PostgreSql)
        {
            await InitializeUnlockedAsync(db, publicBaseUrl, ct);
            return;
        }
        // A session lock on a connection of its own, held for the whole start-up: released by the unlock, or by
        // PostgreSQL when a node dies half-way. EF's own migration lock covers only MigrateAsync.
        await using var lockConnection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(ct);
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", StartupLockKey);
            await take.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await InitializeUnlockedAsync(db, publicBaseUrl, ct);
        }
        finally
        {
            await using var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", StartupLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task InitializeUnlockedAsync(GatewayDbContext db, Uri? publicBaseUrl, CancellationToken ct)
    {
        // Created first, so a new database does not log a failed read of a history table that is not there yet.
        await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().CreateIfNotExistsAsync(ct);
        await db.Database.MigrateAsync(ct);

        await SeedDefaultMappingsAsync(ct);

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        }

        if (await users.Users.AnyAsync(ct)) return;

        var options = bootstrap.Value;
        if (!string.IsNullOrWhiteSpace(options.AdminEmail) && !string.IsNullOrWhiteSpace(options.AdminPassword))
        {
            var admin = new ApplicationUser { UserName = options.AdminEmail, Email = options.AdminEmail, EmailConfirmed = true, CreatedAt = time.GetUtcNow().UtcDateTime };
            var result = await users.CreateAsync(admin, options.AdminPassword);
            if (!result.Succeeded)
                throw new InvalidOperationException("Bootstrap admin could not be created: " + string.Join("; ", result.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(admin, Roles.Admin);
            logger.LogInformation("Created the bootstrap administrator {Email}", options.AdminEmail);
            return;
        }

        var token = setup.Begin();
        var link = publicBaseUrl is null ? $"/setup?token={token}" : new Uri(publicBaseUrl, $"/setup?token={token}").ToString();
        // Console, not only the logger: this is the one thing a newcomer must see on first run.
        Console.WriteLine($"""

            ================================================================
             No user exists yet. Create the first administrator here
             (one-time link, valid until the app restarts):
               {link}
            ================================================================

            """);
        logger.LogWarning("No user exists; a one-time setup link was printed to the console");
    }
}
