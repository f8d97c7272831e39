using Gateway.Infrastructure.Jobs;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// A lease owner names its node (lease recovery at start-up takes back only its own node's claims by that prefix)
/// and its pass (a pass records only the rows it still holds), and is short, as every claimed row carries it.
/// </summary>
public sealed class LeaseOwnerTests
{
    [Fact]
    public void A_lease_owner_is_the_node_name_then_a_12_digit_pass_id_that_differs_between_passes()
    {
        var owners = Enumerable.Range(0, 10_000).Select(_ => GatewayNode.LeaseOwner("node-a")).ToList();
        Assert.All(owners, o => Assert.Matches("^node-a/[0-9a-f]{12}$", o));
        Assert.Equal(owners.Count, owners.Distinct().Count());
    }
}
