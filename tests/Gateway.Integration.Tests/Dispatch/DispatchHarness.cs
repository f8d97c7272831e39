using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Persistence;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using AcceptedEvent = Gateway.Core.Events.AcceptedEvent;

namespace Gateway.Integration.Tests.Dispatch;

/// <summary>
/// The real app (real SQLite file, real Hangfire store) pointed at a standalone strict simulator on loopback,
/// with fast dispatch settings. Seeds rows the way ingestion writes them (Event + Queued Delivery per pixel).
/// </summary>
public sealed class DispatchHarness : IAsyncDisposable
{
    private DispatchHarness(SimulatorHost sim, GatewayAppFactory app)
    {
        Sim = sim;
        App = app;
    }

    public SimulatorHost Sim { get; }
    public GatewayAppFactory App { get; }
    public string TikTokPixel => Sim.State.TikTokPixels.First().PixelCode;
    public string MetaPixel => Sim.State.MetaPixels.First().Id;

    /// <param name="kestrelPort">Also serve the app on 127.0.0.1:port, for clients outside this process.</param>
    public static async Task<DispatchHarness> StartAsync(IDictionary<string, string?>? settings = null, int? kestrelPort = null)
    {
        var sim = await SimulatorHost.StartAsync(new SimulatorOptions());
        var app = new GatewayAppFactory();
        foreach (var (key, value) in FastSettings(sim)) app.Settings[key] = value;
        if (settings is not null)
            foreach (var (key, value) in settings) app.Settings[key] = value;
        if (kestrelPort is { } port)
        {
            app.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
            app.StartServer();
        }
        _ = app.Services; // starts the host: migrations, Hangfire
        return new DispatchHarness(sim, app);
    }

    public static Dictionary<string, string?> FastSettings(SimulatorHost sim) => new()
    {
        ["Simulator:Enabled"] = "false",
        ["Platforms:TikTok:ApiBaseUrl"] = sim.TikTokBaseUrl,
        ["Platforms:Meta:GraphBaseUrl"] = sim.MetaGraphBaseUrl,
        ["Dispatch:PollInterval"] = "00:00:00.050",
        ["Dispatch:DestinationRefreshInterval"] = "00:00:00.200",
        ["Dispatch:RequestsPerSecondPerConnection"] = "200",
    };

    public ConnectionTokenProtector Protector => App.Services.GetRequiredService<ConnectionTokenProtector>();

    public async Task<(int SiteId, int DestinationId, int ConnectionId)> AddDestinationAsync(Platform platform, string token, string? testEventCode = null, int? siteId = null)
    {
        await using var db = await App.CreateDbContextAsync();
        siteId ??= (await TestData.AddSiteAsync(db)).SiteId;
        var protector = Protector;
        var destinationId = await TestData.AddDestinationAsync(db, siteId.Value, platform, platform == Platform.TikTok ? TikTokPixel : MetaPixel,
            protect: id => protector.Protect(id, token));
        var destination = await db.Destinations.SingleAsync(d => d.Id == destinationId);
        destination.TestEventCode = testEventCode;
        await db.SaveChangesAsync();
        return (siteId.Value, destinationId, destination.ConnectionId);
    }

    public async Task ReconnectAsync(int connectionId, string newToken)
    {
        await using var db = await App.CreateDbContextAsync();
        var connection = await db.Connections.SingleAsync(c => c.Id == connectionId);
        connection.ProtectedAccessToken = Protector.Protect(connectionId, newToken);
        connection.Status = ConnectionStatus.Active;
        connection.StatusReason = null;
        await db.SaveChangesAsync();
    }

    public Task<List<string>> EnqueueAsync(int siteId, IReadOnlyList<(int DestinationId, Platform Platform)> routes, int count, TimeSpan? age = null, string actionSource = "website") =>
        SeedEvents.EnqueueAsync(App.CreateDbContextAsync, siteId, routes, count, age, actionSource);

    public async Task<List<Delivery>> DeliveriesAsync()
    {
        await using var db = await App.CreateDbContextAsync();
        return await db.Deliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
    }

    public async Task<List<PlatformCall>> CallsAsync()
    {
        await using var db = await App.CreateDbContextAsync();
        return await db.PlatformCalls.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
    }

    /// <summary>
    /// For a run where every call succeeded: each delivered row has exactly one attempt in its log, number 1, a
    /// success with no message, for the call it went out in, at the moment it completed (what the set-based write of
    /// a successful batch must leave, on either engine).
    /// </summary>
    public static async Task AssertFirstAttemptLogAsync(GatewayDbContext db)
    {
        var delivered = await db.Deliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Delivered).ToListAsync();
        var attempts = (await db.DeliveryAttempts.AsNoTracking().ToListAsync()).ToLookup(a => a.DeliveryId);
        Assert.NotEmpty(delivered);
        Assert.All(delivered, d =>
        {
            var attempt = Assert.Single(attempts[d.Id]);
            Assert.Equal((1, d.LastCallId, CallOutcome.Success, (string?)null, d.CompletedAt),
                (attempt.AttemptNumber, (long?)attempt.PlatformCallId, attempt.Outcome, attempt.Message, (DateTime?)attempt.At));
        });
    }

    /// <summary>Waits (bounded) until no delivery is Queued or InFlight.</summary>
    public Task WaitSettledAsync(TimeSpan? timeout = null) => WaitUntilAsync(async () =>
        (await DeliveriesAsync()).All(d => d.Status is DeliveryStatus.Delivered or DeliveryStatus.DeadLettered), timeout ?? TimeSpan.FromSeconds(30), "all deliveries settled");

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for: {what}");
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Sim.DisposeAsync();
    }
}

/// <summary>Realistic accepted events (hashed identifiers, 64 lowercase hex) inserted as ingestion does.</summary>
public static class SeedEvents
{
    public static string Sha(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static AcceptedEvent Purchase(string eventId, DateTimeOffset time, string actionSource = "website") => new()
    {
        EventName = "Purchase",
        EventId = eventId,
        EventTime = time.ToUnixTimeSeconds(),
        ActionSource = actionSource,
        EventSourceUrl = "https://shop.example/checkout",
        Source = EventSource.Server,
        User = new HashedUserData
        {
            Email = Sha("jane.doe@example.com"),
            PhoneTikTok = Sha("+14155550123"),
            PhoneMeta = Sha("14155550123"),
            ExternalIdTikTok = Sha("customer-42"),
            ExternalIdMeta = Sha("customer-42"),
            FirstName = Sha("jane"),
            ClientIpAddress = "203.0.113.7",
            ClientUserAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120",
            Fbp = "fb.1.1700000000000.123456789",
            Ttclid = "E.C.P.abc",
        },
        Custom = new CustomData { Value = 49.90m, Currency = "EUR", OrderId = "o-" + eventId, ContentType = "product", Contents = [new ContentItem("sku-1", 1, 49.90m, "Shirt", null)] },
        Consent = new ConsentOutcome { AdUserDataGranted = true, AdPersonalizationGranted = true, FromSiteDefault = false },
    };

    public static async Task<List<string>> EnqueueAsync(Func<Task<GatewayDbContext>> dbFactory, int siteId,
        IReadOnlyList<(int DestinationId, Platform Platform)> routes, int count, TimeSpan? age = null, string actionSource = "website")
    {
        var now = DateTimeOffset.UtcNow;
        var time = now - (age ?? TimeSpan.Zero);
        await using var db = await dbFactory();
        await using var tx = await db.Database.BeginTransactionAsync();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var eventId = "evt-" + Guid.NewGuid().ToString("N");
            var accepted = Purchase(eventId, time, actionSource);
            var stored = new StoredEvent
            {
                SiteId = siteId, EventName = accepted.EventName, EventId = eventId, EventTime = time.UtcDateTime, ReceivedAt = now.UtcDateTime,
                Source = accepted.Source, PayloadJson = EventPayload.Serialize(accepted), AdUserDataGranted = true,
            };
            db.Events.Add(stored);
            await db.SaveChangesAsync();
            foreach (var (destinationId, platform) in routes)
            {
                db.Deliveries.Add(new Delivery
                {
                    EventRowId = stored.Id, DestinationId = destinationId, Platform = platform, Status = DeliveryStatus.Queued,
                    EventName = accepted.EventName, PlatformEventName = "Purchase", EventId = eventId, EventTime = time.UtcDateTime,
                    CreatedAt = now.UtcDateTime, NextAttemptAt = now.UtcDateTime, Attempts = 0,
                });
            }
            ids.Add(eventId);
        }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return ids;
    }
}
