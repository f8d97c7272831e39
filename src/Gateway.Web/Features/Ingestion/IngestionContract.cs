using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Gateway.Web.Features.Ingestion;

// The ingestion wire format as OpenAPI schemas. The endpoints parse the body themselves (a pooled, strict,
// allocation-lean parser: Gateway.Core/Validation/EventParser.cs); these records only describe it, and the
// OpenAPI test checks that their examples are accepted by the real endpoints.

[Description("One conversion. Identifiers are sent raw (or already SHA-256 hashed) and hashed per platform before storage.")]
public sealed record EventDocument(
    [property: JsonPropertyName("event_name"), Description("Canonical name, e.g. Purchase; mapped per platform (Mappings).")] string EventName,
    [property: JsonPropertyName("event_id"), Description("Stable id shared by the browser and server copies: the dedup key.")] string EventId,
    [property: JsonPropertyName("event_time"), Description("Unix seconds; at most 7 days old and 5 minutes in the future.")] long EventTime,
    [property: JsonPropertyName("action_source"), Description("website (default), app, email, phone_call, chat, physical_store, system_generated, business_messaging, other.")] string? ActionSource = null,
    [property: JsonPropertyName("event_source_url"), Description("Required for website events.")] string? EventSourceUrl = null,
    [property: JsonPropertyName("referrer")] string? Referrer = null,
    [property: JsonPropertyName("source"), Description("server (default) or browser.")] string? Source = null,
    [property: JsonPropertyName("user_data")] UserDataDocument? UserData = null,
    [property: JsonPropertyName("custom_data")] CustomDataDocument? CustomData = null,
    [property: JsonPropertyName("consent")] ConsentDocument? Consent = null);

[Description("Up to 1000 events, answered one by one.")]
public sealed record EventBatchDocument([property: JsonPropertyName("events")] IReadOnlyList<EventDocument> Events);

[Description("Match keys. An unusable one is dropped with a warning (the event is kept) unless ?strict=true.")]
public sealed record UserDataDocument(
    [property: JsonPropertyName("email")] string? Email = null,
    [property: JsonPropertyName("phone"), Description("E.164, or national to the site's default country; extensions are dropped.")] string? Phone = null,
    [property: JsonPropertyName("external_id")] string? ExternalId = null,
    [property: JsonPropertyName("first_name")] string? FirstName = null,
    [property: JsonPropertyName("last_name")] string? LastName = null,
    [property: JsonPropertyName("gender")] string? Gender = null,
    [property: JsonPropertyName("date_of_birth"), Description("YYYY-MM-DD, YYYYMMDD or MM/DD/YYYY.")] string? DateOfBirth = null,
    [property: JsonPropertyName("city")] string? City = null,
    [property: JsonPropertyName("state")] string? State = null,
    [property: JsonPropertyName("zip")] string? Zip = null,
    [property: JsonPropertyName("country"), Description("ISO 3166-1 alpha-2.")] string? Country = null,
    [property: JsonPropertyName("client_ip_address"), Description("Server events only; the collect endpoint takes it from the connection.")] string? ClientIpAddress = null,
    [property: JsonPropertyName("client_user_agent"), Description("Required by Meta for website events.")] string? ClientUserAgent = null,
    [property: JsonPropertyName("ttclid")] string? Ttclid = null,
    [property: JsonPropertyName("ttp")] string? Ttp = null,
    [property: JsonPropertyName("fbc")] string? Fbc = null,
    [property: JsonPropertyName("fbp")] string? Fbp = null,
    [property: JsonPropertyName("fbclid"), Description("fbc is derived from it when fbc is absent.")] string? Fbclid = null);

public sealed record CustomDataDocument(
    [property: JsonPropertyName("value")] decimal? Value = null,
    [property: JsonPropertyName("currency"), Description("ISO 4217; required with value.")] string? Currency = null,
    [property: JsonPropertyName("order_id")] string? OrderId = null,
    [property: JsonPropertyName("content_type")] string? ContentType = null,
    [property: JsonPropertyName("contents")] IReadOnlyList<ContentDocument>? Contents = null,
    [property: JsonPropertyName("search_string")] string? SearchString = null);

public sealed record ContentDocument(
    [property: JsonPropertyName("id")] string? Id = null,
    [property: JsonPropertyName("quantity")] int? Quantity = null,
    [property: JsonPropertyName("item_price")] decimal? ItemPrice = null);

[Description("Consent as the site's CMP captured it; missing values use the site's default (per country when configured).")]
public sealed record ConsentDocument(
    [property: JsonPropertyName("ad_user_data"), Description("granted or denied")] string? AdUserData = null,
    [property: JsonPropertyName("ad_personalization"), Description("granted or denied")] string? AdPersonalization = null,
    [property: JsonPropertyName("region"), Description("ISO 3166-1/-2 of the visitor, e.g. DE or US-CA.")] string? Region = null);

[Description("202: every accepted event is committed to disk.")]
public sealed record IngestionAnswer(
    [property: JsonPropertyName("accepted")] int Accepted,
    [property: JsonPropertyName("duplicates")] int Duplicates,
    [property: JsonPropertyName("rejected")] int Rejected,
    [property: JsonPropertyName("results")] IReadOnlyList<EventResultDocument> Results,
    [property: JsonPropertyName("unknown_fields")] IReadOnlyList<string> UnknownFields);

public sealed record EventResultDocument(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("status"), Description("accepted, duplicate or rejected")] string Status,
    [property: JsonPropertyName("event_id")] string? EventId = null,
    [property: JsonPropertyName("errors")] IReadOnlyList<FieldMessage>? Errors = null,
    [property: JsonPropertyName("warnings"), Description("Identifiers dropped, or destinations skipped, with why.")] IReadOnlyList<FieldMessage>? Warnings = null,
    [property: JsonPropertyName("note")] string? Note = null);

public sealed record FieldMessage([property: JsonPropertyName("field")] string Field, [property: JsonPropertyName("message")] string Message);
