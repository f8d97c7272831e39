using System.Net;
using Gateway.Core.Events;
using Gateway.Core.Normalization;

namespace Gateway.Core.Validation;

/// <summary>
/// Value rules for one parsed event. Field paths are relative to the event ("user_data.email"); a batch
/// caller prefixes "events[i]". Values that are already SHA-256 hashes skip format checks.
/// </summary>
public static class EventValidator
{
    /// <summary>Meta's action_source vocabulary (TikTok's event_source is derived from it).</summary>
    public static readonly IReadOnlySet<string> ActionSources = new HashSet<string>(StringComparer.Ordinal)
    {
        "website", "app", "email", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other",
    };

    public const string DefaultActionSource = "website";

    /// <summary>Meta rejects events from the future; a little clock skew between site and gateway is tolerated.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Meta rejects events older than 7 days, and one such event fails the whole batch request.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    /// <summary>Unix seconds above this are ~year 5138: the value is almost certainly milliseconds.</summary>
    public const double MillisecondsThreshold = 1e11;

    public static IReadOnlyList<FieldError> Validate(IncomingEvent e, ValidationContext context)
    {
        var errors = new List<FieldError>();
        var limits = context.EffectiveLimits;
        void Error(string field, string message) => errors.Add(new FieldError(field, message));

        void Text(string field, string? value, int max, bool required = false)
        {
            // Optional blank strings count as absent: many clients send "" for "unknown".
            if (value is null || value.Trim().Length == 0)
            {
                if (required)
                    Error(field, "is required");
                return;
            }
            if (value.Length > max)
                Error(field, $"must be at most {max} characters (has {value.Length})");
        }

        Text("event_name", e.EventName, limits.MaxStringLength, required: true);
        Text("event_id", e.EventId, limits.MaxStringLength, required: true);
        ValidateEventTime(e.EventTime, context.Now, Error);

        var actionSource = e.ActionSource?.Trim().ToLowerInvariant() ?? DefaultActionSource;
        if (!ActionSources.Contains(actionSource))
            Error("action_source", "must be one of " + string.Join(", ", ActionSources));

        if (e.EventSourceUrl is null)
        {
            if (actionSource == "website")
                Error("event_source_url", "is required when action_source is website");
        }
        else
        {
            Url("event_source_url", e.EventSourceUrl, limits.MaxUrlLength, Error);
        }
        // Browsers report "no referrer" as an empty string (document.referrer); that is absence, not an error.
        if (!string.IsNullOrWhiteSpace(e.Referrer))
            Url("referrer", e.Referrer, limits.MaxUrlLength, Error);

        if (e.Source is not null && ParseSource(e.Source) is null)
            Error("source", "must be \"server\" or \"browser\"");

        // Problems with user_data are about one identifier each, not the conversion (see FieldError.IsIdentifier).
        void IdentifierError(string field, string message) => errors.Add(new FieldError(field, message) { IsIdentifier = true });
        void IdentifierText(string field, string? value, int max, bool required = false)
        {
            if (value is not null && value.Trim().Length > 0 && value.Length > max)
                IdentifierError(field, $"must be at most {max} characters (has {value.Length})");
        }
        if (e.UserData is { } u)
            ValidateUser(u, context, IdentifierText, IdentifierError);
        if (e.CustomData is { } c)
            ValidateCustom(c, limits, Text, Error);
        if (e.Consent is { } consent)
        {
            if (consent.AdUserData is not null && ParseConsentValue(consent.AdUserData) is null)
                Error("consent.ad_user_data", "must be \"granted\" or \"denied\"");
            if (consent.AdPersonalization is not null && ParseConsentValue(consent.AdPersonalization) is null)
                Error("consent.ad_personalization", "must be \"granted\" or \"denied\"");
        }
        return errors;
    }

    /// <summary>
    /// Fractions are accepted and floored: JavaScript clients commonly send <c>Date.now() / 1000</c>, and
    /// both platforms want whole seconds. The window is checked on the floored value.
    /// </summary>
    private static void ValidateEventTime(double? eventTime, DateTimeOffset now, Action<string, string> error)
    {
        if (eventTime is not { } t)
        {
            error("event_time", "is required (Unix seconds)");
            return;
        }
        if (t > MillisecondsThreshold)
        {
            error("event_time", "looks like milliseconds; send Unix seconds");
            return;
        }
        if (t < 0)
        {
            error("event_time", "must be Unix seconds (non-negative)");
            return;
        }
        var seconds = (long)Math.Floor(t);
        var nowSeconds = now.ToUnixTimeSeconds();
        if (seconds > nowSeconds + (long)MaxFutureSkew.TotalSeconds)
            error("event_time", $"is more than {MaxFutureSkew.TotalMinutes:0} minutes in the future");
        else if (seconds < nowSeconds - (long)MaxAge.TotalSeconds)
            error("event_time", $"is older than {MaxAge.TotalDays:0} days; the platforms reject it");
    }

    private static void Url(string field, string value, int max, Action<string, string> error)
    {
        if (value.Length > max)
            error(field, $"must be at most {max} characters (has {value.Length})");
        else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                 || string.IsNullOrEmpty(uri.Host))
            error(field, "must be an absolute http(s) URL");
    }

    private static void ValidateUser(IncomingUserData u, ValidationContext context,
        Action<string, string?, int, bool> text, Action<string, string> error)
    {
        var max = context.EffectiveLimits.MaxStringLength;

        // Checks a personal field: length always, format only when it is not already a hash.
        void Personal(string field, string? value, Func<string, string?> formatError)
        {
            if (value is null)
                return;
            text(field, value, max, false);
            if (value.Trim().Length == 0 || value.Length > max || AlreadyHashed.IsHashed(value))
                return;
            if (formatError(value) is { } message)
                error(field, message);
        }

        Personal("user_data.email", u.Email, v => EmailSyntax.IsValid(JsText.ToLower(JsText.Trim(v))) ? null : "is not a valid email address");
        Personal("user_data.phone", u.Phone, v => PhoneNormalizer.Normalize(v, context.DefaultCountry).Error is { } why ? "is not a valid phone number: " + why : null);
        Personal("user_data.external_id", u.ExternalId, _ => null);
        Personal("user_data.first_name", u.FirstName, _ => null);
        Personal("user_data.last_name", u.LastName, _ => null);
        Personal("user_data.gender", u.Gender, v => v.Trim().ToLowerInvariant() is "m" or "f" or "male" or "female" ? null : "must be m, f, male or female");
        Personal("user_data.date_of_birth", u.DateOfBirth, v => DateOfBirthError(v, context.Now));
        // Meta strips digits, spaces and ( ) . - from city/state; a value of only those would hash "".
        Personal("user_data.city", u.City, v => v.Any(char.IsLetter) ? null : "must contain letters");
        Personal("user_data.state", u.State, v => v.Any(char.IsLetter) ? null : "must contain letters");
        Personal("user_data.zip", u.Zip, _ => null);
        Personal("user_data.country", u.Country, v => Countries.IsAlpha2(v.Trim()) ? null : "must be an ISO 3166-1 alpha-2 country code (e.g. US)");

        if (u.ClientIpAddress is { } ip)
        {
            text("user_data.client_ip_address", ip, max, false);
            if (ip.Trim().Length > 0 && !IPAddress.TryParse(ip.Trim(), out _))
                error("user_data.client_ip_address", "is not a valid IPv4 or IPv6 address");
        }
        text("user_data.client_user_agent", u.ClientUserAgent, context.EffectiveLimits.MaxUrlLength, false);
        text("user_data.ttclid", u.Ttclid, max, false);
        text("user_data.ttp", u.Ttp, max, false);
        text("user_data.fbclid", u.Fbclid, max, false);
        foreach (var (field, value) in new[] { ("user_data.fbc", u.Fbc), ("user_data.fbp", u.Fbp) })
        {
            text(field, value, max, false);
            // Meta's documented shape is fb.<subdomain index>.<creation time>.<id>; anything else never matches.
            if (value is { Length: > 0 } && value.Length <= max && !(value.StartsWith("fb.", StringComparison.Ordinal) && value.Split('.').Length >= 4))
                error(field, "must look like fb.1.<timestamp>.<id>");
        }
    }

    private static string? DateOfBirthError(string value, DateTimeOffset now)
    {
        if (!DateOfBirth.TryNormalize(value, out var yyyymmdd))
            return "must be a date as YYYY-MM-DD, YYYYMMDD or MM/DD/YYYY";
        var year = int.Parse(yyyymmdd[..4], System.Globalization.CultureInfo.InvariantCulture);
        if (year < 1900 || string.CompareOrdinal(yyyymmdd, now.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)) > 0)
            return "must be a past date after 1900";
        return null;
    }

    private static void ValidateCustom(IncomingCustomData c, IngestionLimits limits,
        Action<string, string?, int, bool> text, Action<string, string> error)
    {
        var max = limits.MaxStringLength;
        if (c.Value is { } value && value < 0)
            error("custom_data.value", "must not be negative");
        if (c.Currency is null)
        {
            if (c.Value is not null)
                error("custom_data.currency", "is required when value is present");
        }
        else if (!Currencies.IsActive(c.Currency.Trim()))
        {
            error("custom_data.currency", "must be an active ISO 4217 currency code (e.g. USD)");
        }
        text("custom_data.content_type", c.ContentType, max, false);
        text("custom_data.order_id", c.OrderId, max, false);
        text("custom_data.search_string", c.SearchString, max, false);
        text("custom_data.content_name", c.ContentName, max, false);
        text("custom_data.content_category", c.ContentCategory, max, false);
        text("custom_data.status", c.Status, max, false);
        if (c.NumItems is < 0)
            error("custom_data.num_items", "must not be negative");
        if (c.Contents is { } contents)
        {
            if (contents.Count > limits.MaxContents)
                error("custom_data.contents", $"must have at most {limits.MaxContents} items (has {contents.Count})");
            for (var i = 0; i < Math.Min(contents.Count, limits.MaxContents); i++)
            {
                var item = contents[i];
                var at = $"custom_data.contents[{i}]";
                text(at + ".id", item.Id, max, false);
                text(at + ".name", item.Name, max, false);
                text(at + ".category", item.Category, max, false);
                if (item.Quantity is < 0)
                    error(at + ".quantity", "must not be negative");
                if (item.ItemPrice is < 0)
                    error(at + ".item_price", "must not be negative");
            }
        }
    }

    public static EventSource? ParseSource(string? source) => source?.Trim().ToLowerInvariant() switch
    {
        null or "server" => EventSource.Server,
        "browser" => EventSource.Browser,
        _ => null,
    };

    /// <summary>true = granted, false = denied, null = not a consent value.</summary>
    public static bool? ParseConsentValue(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "granted" => true,
        "denied" => false,
        _ => null,
    };
}
