using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Bench;

/// <summary>
/// Sends realistic events to the ingestion API: closed-loop (max throughput) or open-loop (fixed rate). With
/// several nodes, requests go round-robin to each (as a load balancer without stickiness would send them).
/// </summary>
internal sealed class LoadDriver(IReadOnlyList<string> baseUrls, string serverKey)
{
    private long _sequence;
    private long _requests;
    // Ids must not repeat across phases: the gateway would (rightly) answer "duplicate" and queue nothing.
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient[] _nodes = baseUrls.Select(url => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = new Uri(url),
        Timeout = TimeSpan.FromSeconds(60),
    }).ToArray();

    /// <summary>When each event id was acknowledged (202), for end-to-end latency.</summary>
    public ConcurrentDictionary<string, long> AcceptedAtTicks { get; } = new();
    public bool RecordAcceptance { get; set; }

    public sealed record Result(long Events, long Requests, long Failures, TimeSpan Elapsed, double[] LatenciesMs)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;
        public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)Math.Ceiling(p * LatenciesMs.Length) - 1)];

        /// <summary>Consecutive runs as one: totals, total time, every latency.</summary>
        public static Result Combine(IEnumerable<Result> runs)
        {
            var list = runs.ToList();
            return new Result(list.Sum(r => r.Events), list.Sum(r => r.Requests), list.Sum(r => r.Failures),
                TimeSpan.FromTicks(list.Sum(r => r.Elapsed.Ticks)), list.SelectMany(r => r.LatenciesMs).Order().ToArray());
        }
    }

    /// <summary>A realistic purchase with every identifier, as shops send it.</summary>
    public static string EventJson(string eventId, long n, long now) => $$$"""
        {"event_name":"Purchase","event_id":"{{{eventId}}}","event_time":{{{now}}},"action_source":"website","event_source_url":"https://shop.example/checkout",
         "user_data":{"email":"customer{{{n % 50000}}}@example.com","phone":"+1415555{{{(n % 10000):D4}}}","external_id":"c-{{{n % 50000}}}","first_name":"Jane","city":"San Francisco","country":"US",
         "client_ip_address":"203.0.113.{{{n % 250}}}","client_user_agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36","fbp":"fb.1.1763683000000.{{{n}}}","ttclid":"E.C.P.{{{n}}}"},
         "custom_data":{"value":49.9,"currency":"EUR","order_id":"o-{{{n}}}","contents":[{"id":"sku-{{{n % 100}}}","quantity":1,"item_price":49.9}]},
         "consent":{"ad_user_data":"granted","ad_personalization":"granted"}}
        """;

    private (string Body, string[] Ids) Body(int batch)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var ids = new string[batch];
        var sb = new StringBuilder(batch * 900);
        if (batch > 1) sb.Append("{\"events\":[");
        for (var i = 0; i < batch; i++)
        {
            var n = Interlocked.Increment(ref _sequence);
            ids[i] = $"bench-{_run}-{n}";
            if (i > 0) sb.Append(',');
            sb.Append(EventJson(ids[i], n, now));
        }
        if (batch > 1) sb.Append("]}");
        return (sb.ToString(), ids);
    }

    private async Task<(bool Ok, double Ms)> SendAsync(int batch)
    {
        var (body, ids) = Body(batch);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serverKey);
        var started = Stopwatch.GetTimestamp();
        using var response = await _nodes[Interlocked.Increment(ref _requests) % _nodes.Length].SendAsync(request);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode == HttpStatusCode.Accepted && RecordAcceptance)
        {
            var at = DateTime.UtcNow.Ticks;
            foreach (var id in ids) AcceptedAtTicks[id] = at;
        }
        return (response.StatusCode == HttpStatusCode.Accepted, ms);
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> senders as fast as the server answers, for a bounded time.</summary>
    public async Task<Result> RunClosedAsync(int batch, int concurrency, TimeSpan duration, long maxEvents)
    {
        long events = 0, requests = 0, failures = 0;
        var latencies = new ConcurrentBag<double>();
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stop.Elapsed < duration && Interlocked.Read(ref events) < maxEvents)
            {
                var (ok, ms) = await SendAsync(batch);
                Interlocked.Increment(ref requests);
                if (ok) Interlocked.Add(ref events, batch); else Interlocked.Increment(ref failures);
                latencies.Add(ms);
            }
        }));
        return new Result(events, requests, failures, stop.Elapsed, latencies.Order().ToArray());
    }

    /// <summary>
    /// Open loop at a fixed rate of single events. Latency is measured from each request's scheduled
    /// start, so a stalled server cannot hide queueing delay (no coordinated omission).
    /// </summary>
    public async Task<Result> RunOpenAsync(int eventsPerSecond, TimeSpan duration)
    {
        long events = 0, failures = 0;
        var latencies = new ConcurrentBag<double>();
        var total = (int)(eventsPerSecond * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / eventsPerSecond);
        var clock = Stopwatch.StartNew();
        var inflight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var scheduled = interval * i;
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            inflight.Add(Task.Run(async () =>
            {
                var (ok, _) = await SendAsync(1);
                latencies.Add((clock.Elapsed - scheduled).TotalMilliseconds);
                if (ok) Interlocked.Increment(ref events); else Interlocked.Increment(ref failures);
            }));
        }
        await Task.WhenAll(inflight);
        return new Result(events, total, failures, clock.Elapsed, latencies.Order().ToArray());
    }
}
