using System.Globalization;
using Gateway.Core.Bots;
using Gateway.Core.Consent;
using Gateway.Core.Dedup;
using Gateway.Core.Normalization;
using Gateway.Core.Validation;

namespace Gateway.Core.Events;

/// <summary>
/// The ingest pipeline for one parsed event: validate → bot verdict → consent → normalize + hash. The
/// result holds no raw personal identifier; only IP and user agent stay as sent (platforms require them).
/// </summary>
public static class EventAcceptor
{
    /// <param name="strict">
    /// When true, an unusable identifier rejects the event (the first release's behaviour). By default it is
    /// dropped and reported as a warning, so one bad optional field never loses a purchase.
    /// </param>
    public static AcceptanceResult Accept(IncomingEvent incoming, SiteContext site, DateTimeOffset now, bool strict = false)
    {
        var context = new ValidationContext(now, site.DefaultCountry, site.Limits);
        var errors = EventValidator.Validate(incoming, context);
        IReadOnlyList<FieldError> warnings = [];
        if (errors.Count > 0)
        {
            if (strict || errors.Any(e => !e.IsIdentifier))
                return new AcceptanceResult.Rejected(errors);
            warnings = errors.Select(e => e with { Message = e.Message + "; dropped, the event was kept" }).ToList();
            incoming = incoming with { UserData = IdentifierFields.Without(incoming.UserData!, errors.Select(e => e.Field)) };
        }

        var source = EventValidator.ParseSource(incoming.Source) ?? EventSource.Server;
        // The verdict uses the UA as sent, before consent may drop it.
        var bot = BotFilter.Evaluate(incoming.UserData?.ClientUserAgent, source, site.Bots);

        var consent = ConsentPolicy.Apply(incoming.Consent, incoming.UserData, site.Consent);
        var eventTime = (long)Math.Floor(incoming.EventTime!.Value);
        var user = Hash(consent.User, eventTime, site.DefaultCountry);

        var eventName = incoming.EventName!.Trim();
        var eventId = incoming.EventId!.Trim();
        var accepted = new AcceptedEvent
        {
            EventName = eventName,
            EventId = eventId,
            EventTime = eventTime,
            ActionSource = incoming.ActionSource?.Trim().ToLowerInvariant() ?? EventValidator.DefaultActionSource,
            EventSourceUrl = Blank(incoming.EventSourceUrl),
            Referrer = Blank(incoming.Referrer),
            Source = source,
            User = user,
            Custom = Custom(incoming.CustomData),
            Consent = consent.Outcome,
        };
        return new AcceptanceResult.Accepted(accepted, bot, MatchKeysOf(user), DedupKey.For(site.SiteId, eventName, eventId)) { Warnings = warnings };
    }

    private static HashedUserData Hash(IncomingUserData? u, long eventTime, string? defaultCountry)
    {
        if (u is null)
            return new HashedUserData();
        var fbclid = Blank(u.Fbclid);
        return new HashedUserData
        {
            // Valid emails are ASCII (EmailSyntax), so Meta's and TikTok's email normalizations coincide.
            Email = Meta(u.Email, MetaUserField.Em),
            PhoneMeta = Meta(u.Phone, MetaUserField.Ph, defaultCountry),
            PhoneTikTok = Blank(u.Phone) is null ? null : TikTokNormalizer.HashPhone(u.Phone, defaultCountry),
            ExternalIdMeta = Meta(u.ExternalId, MetaUserField.ExternalId),
            ExternalIdTikTok = Blank(u.ExternalId) is null ? null : TikTokNormalizer.HashExternalId(u.ExternalId),
            FirstName = Meta(u.FirstName, MetaUserField.Fn),
            LastName = Meta(u.LastName, MetaUserField.Ln),
            Gender = Meta(u.Gender, MetaUserField.Ge),
            DateOfBirth = Meta(u.DateOfBirth, MetaUserField.Db),
            City = Meta(u.City, MetaUserField.Ct),
            State = Meta(u.State, MetaUserField.St),
            Zip = Meta(u.Zip, MetaUserField.Zp),
            Country = Meta(u.Country, MetaUserField.Country),
            ClientIpAddress = Blank(u.ClientIpAddress),
            ClientUserAgent = Blank(u.ClientUserAgent),
            Ttclid = Blank(u.Ttclid),
            Ttp = Blank(u.Ttp),
            // Meta's documented fbc format; creation time is the click's, which the event time approximates.
            Fbc = Blank(u.Fbc) ?? (fbclid is null ? null : $"fb.1.{(eventTime * 1000).ToString(CultureInfo.InvariantCulture)}.{fbclid}"),
            Fbp = Blank(u.Fbp),
        };
    }

    private static string? Meta(string? value, MetaUserField field, string? defaultCountry = null) =>
        Blank(value) is null ? null : MetaNormalizer.NormalizeAndHash(value, field, defaultCountry);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static CustomData? Custom(IncomingCustomData? c) => c is null ? null : new CustomData
    {
        Value = c.Value,
        Currency = Blank(c.Currency)?.ToUpperInvariant(),
        Contents = c.Contents?.Select(i => new ContentItem(Blank(i.Id), i.Quantity, i.ItemPrice, Blank(i.Name), Blank(i.Category))).ToList(),
        ContentType = Blank(c.ContentType),
        OrderId = Blank(c.OrderId),
        SearchString = Blank(c.SearchString),
        NumItems = c.NumItems,
        ContentName = Blank(c.ContentName),
        ContentCategory = Blank(c.ContentCategory),
        Status = Blank(c.Status),
    };

    public static MatchKeys MatchKeysOf(HashedUserData u)
    {
        var keys = MatchKeys.None;
        if (u.Email is not null) keys |= MatchKeys.Email;
        if (u.PhoneMeta is not null || u.PhoneTikTok is not null) keys |= MatchKeys.Phone;
        if (u.ExternalIdMeta is not null || u.ExternalIdTikTok is not null) keys |= MatchKeys.ExternalId;
        if (u.Ttclid is not null || u.Fbc is not null) keys |= MatchKeys.ClickId;
        if (u.Ttp is not null || u.Fbp is not null) keys |= MatchKeys.BrowserId;
        if (u.ClientIpAddress is not null && u.ClientUserAgent is not null) keys |= MatchKeys.IpAndUserAgent;
        if (u.FirstName is not null || u.LastName is not null) keys |= MatchKeys.Name;
        if (u.City is not null || u.State is not null || u.Zip is not null || u.Country is not null) keys |= MatchKeys.Address;
        return keys;
    }
}
