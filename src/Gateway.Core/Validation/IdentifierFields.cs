using Gateway.Core.Events;

namespace Gateway.Core.Validation;

/// <summary>Removes named identifiers ("user_data.phone") from an incoming event's user data.</summary>
public static class IdentifierFields
{
    public static IncomingUserData Without(IncomingUserData user, IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            user = field switch
            {
                "user_data.email" => user with { Email = null },
                "user_data.phone" => user with { Phone = null },
                "user_data.external_id" => user with { ExternalId = null },
                "user_data.first_name" => user with { FirstName = null },
                "user_data.last_name" => user with { LastName = null },
                "user_data.gender" => user with { Gender = null },
                "user_data.date_of_birth" => user with { DateOfBirth = null },
                "user_data.city" => user with { City = null },
                "user_data.state" => user with { State = null },
                "user_data.zip" => user with { Zip = null },
                "user_data.country" => user with { Country = null },
                "user_data.client_ip_address" => user with { ClientIpAddress = null },
                "user_data.client_user_agent" => user with { ClientUserAgent = null },
                "user_data.ttclid" => user with { Ttclid = null },
                "user_data.ttp" => user with { Ttp = null },
                "user_data.fbc" => user with { Fbc = null },
                "user_data.fbp" => user with { Fbp = null },
                "user_data.fbclid" => user with { Fbclid = null },
                _ => throw new ArgumentException($"{field} is not an identifier field.", nameof(fields)),
            };
        }
        return user;
    }
}
