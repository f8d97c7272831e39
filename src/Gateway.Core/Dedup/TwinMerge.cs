using Gateway.Core.Events;

namespace Gateway.Core.Dedup;

/// <summary>What merging a twin into the stored copy changed: the merged event, and the fields it added.</summary>
public sealed record TwinMergeResult(AcceptedEvent Merged, IReadOnlyList<string> Added)
{
    public bool Changed => Added.Count > 0;
}

/// <summary>
/// Browser and server copies of one event (same site, event_name, event_id) enrich each other instead of the
/// first copy winning: identifiers are the union (the stored copy keeps what it has), the server copy's
/// custom_data wins (it knows the order value). Identifiers are merged only when both copies granted
/// ad_user_data, so consent removed on one copy is never undone by the other (docs/platforms.md#twins).
/// </summary>
public static class TwinMerge
{
    public static TwinMergeResult Merge(AcceptedEvent stored, AcceptedEvent twin)
    {
        var added = new List<string>();
        var user = stored.User;
        if (stored.Consent.AdUserDataGranted && twin.Consent.AdUserDataGranted)
        {
            var t = twin.User;
            user = user with
            {
                Email = Take(user.Email, t.Email, "email", added),
                PhoneTikTok = Take(user.PhoneTikTok, t.PhoneTikTok, "phone", added),
                PhoneMeta = Take(user.PhoneMeta, t.PhoneMeta, null, added),
                ExternalIdTikTok = Take(user.ExternalIdTikTok, t.ExternalIdTikTok, "external_id", added),
                ExternalIdMeta = Take(user.ExternalIdMeta, t.ExternalIdMeta, null, added),
                FirstName = Take(user.FirstName, t.FirstName, "first_name", added),
                LastName = Take(user.LastName, t.LastName, "last_name", added),
                Gender = Take(user.Gender, t.Gender, "gender", added),
                DateOfBirth = Take(user.DateOfBirth, t.DateOfBirth, "date_of_birth", added),
                City = Take(user.City, t.City, "city", added),
                State = Take(user.State, t.State, "state", added),
                Zip = Take(user.Zip, t.Zip, "zip", added),
                Country = Take(user.Country, t.Country, "country", added),
                ClientIpAddress = Take(user.ClientIpAddress, t.ClientIpAddress, "client_ip_address", added),
                ClientUserAgent = Take(user.ClientUserAgent, t.ClientUserAgent, "client_user_agent", added),
                Ttclid = Take(user.Ttclid, t.Ttclid, "ttclid", added),
                Ttp = Take(user.Ttp, t.Ttp, "ttp", added),
                Fbc = Take(user.Fbc, t.Fbc, "fbc", added),
                Fbp = Take(user.Fbp, t.Fbp, "fbp", added),
            };
        }

        // The server copy's custom_data wins; a browser twin only fills custom_data the stored copy lacks.
        var custom = stored.Custom;
        if (twin.Custom is not null && (twin.Source == EventSource.Server || stored.Custom is null) && twin.Custom != stored.Custom)
        {
            custom = twin.Custom;
            added.Add("custom_data");
        }

        var url = stored.EventSourceUrl ?? twin.EventSourceUrl;
        if (stored.EventSourceUrl is null && twin.EventSourceUrl is not null) added.Add("event_source_url");
        return new TwinMergeResult(stored with { User = user, Custom = custom, EventSourceUrl = url }, added);
    }

    private static string? Take(string? mine, string? theirs, string? label, List<string> added)
    {
        if (mine is not null || theirs is null) return mine;
        if (label is not null) added.Add(label);
        return theirs;
    }
}
