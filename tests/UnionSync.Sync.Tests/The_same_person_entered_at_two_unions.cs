using UnionSync.Sync.Policies;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

/// <summary>
/// Insert/insert of one natural key: the same ID-card number entered at two unions is one member, not two (issue 5);
/// the same card number issued twice is one card. City → district → grassroots union on SQLite.
/// </summary>
public sealed class The_same_person_entered_at_two_unions : IAsyncLifetime
{
    private readonly TestNode _city = TestNode.Sqlite("city");
    private readonly TestNode _district = TestNode.Sqlite("district");
    private readonly TestNode _union = TestNode.Sqlite("union");
    private Guid _unionScope;
    private Guid _otherDistrictUnion;

    public async ValueTask InitializeAsync()
    {
        await Federation.GenerateAsync(_city);
        var districts = await Federation.DistrictsAsync(_city);
        _unionScope = (await Federation.GrassrootsUnderAsync(_city, districts[0]))[0];
        _otherDistrictUnion = (await Federation.GrassrootsUnderAsync(_city, districts[1]))[0];
        await Harness.SyncAsync(_city, _district, districts[0]);
        await Harness.SyncAsync(_district, _union, _unionScope);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in new[] { _union, _district, _city })
        {
            await node.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(ConflictPolicy.ParentWins, "区里录入")]
    [InlineData(ConflictPolicy.ChildWins, "基层录入")]
    [InlineData(ConflictPolicy.Manual, "区里录入")]
    public async Task is_one_member_with_the_childs_cards_and_the_policy_decides_the_values(ConflictPolicy policy, string keptName)
    {
        await _district.Provider.Metadata.SetPolicyAsync("members", policy, TestContext.Current.CancellationToken);
        var idNumber = Roster.NewIdNumber();
        var atDistrict = await Roster.InsertMemberAsync(_district, _unionScope, "区里录入", idNumber);
        var atUnion = await Roster.InsertMemberAsync(_union, _unionScope, "基层录入", idNumber);
        var card = await Roster.IssueCardAsync(_union, atUnion);

        var summary = await Harness.SyncAsync(_district, _union);
        await PassAsync();

        Assert.Equal(1, summary.Conflicts);
        foreach (var node in new[] { _city, _district, _union })
        {
            Assert.Equal(1, await node.CountAsync("SELECT COUNT(*) FROM members WHERE id_number = @n", ("@n", idNumber)));
            Assert.Equal(keptName, await Roster.MemberNameAsync(node, atDistrict));
            Assert.Equal(0, await Roster.CountWhereIdAsync(node, "members", atUnion));
            var owner = await node.ScalarAsync("SELECT member_id FROM service_cards WHERE id = @id", ("@id", node.Id(card)));
            Assert.True(owner is not null, $"the card is missing at {node}");
            Assert.Equal(atDistrict, TestNode.ReadId(owner));
        }

        var conflict = Assert.Single(await Harness.ConflictsAsync(_district));
        Assert.Equal(("insert-insert", atDistrict, policy.Name()), (conflict.Kind, conflict.Key, conflict.Policy));
        Assert.Contains(atUnion.ToString("D"), conflict.Outcome, StringComparison.Ordinal);
        await AssertConvergedAsync();
    }

    [Fact]
    public async Task entered_at_a_grassroots_union_and_in_another_district_is_one_member_there_and_gone_from_the_laptop()
    {
        var idNumber = (string)(await _city.ScalarAsync(
            "SELECT id_number FROM members WHERE organization_id = @org ORDER BY id LIMIT 1", ("@org", _city.Id(_otherDistrictUnion))))!;
        var atUnion = await Roster.InsertMemberAsync(_union, _unionScope, "基层录入", idNumber);
        await Roster.IssueCardAsync(_union, atUnion);

        await PassAsync();
        await PassAsync();

        Assert.Equal(1, await _city.CountAsync("SELECT COUNT(*) FROM members WHERE id_number = @n", ("@n", idNumber)));
        Assert.Equal(0, await _district.CountAsync("SELECT COUNT(*) FROM members WHERE id_number = @n", ("@n", idNumber)));
        Assert.Equal(0, await _union.CountAsync("SELECT COUNT(*) FROM members WHERE id_number = @n", ("@n", idNumber)));
        Assert.Equal("insert-insert", Assert.Single(await Harness.ConflictsAsync(_city)).Kind);
        Assert.Empty(await Harness.ConflictsAsync(_district));
        await AssertConvergedAsync();
    }

    [Fact]
    public async Task one_card_number_issued_at_two_unions_is_one_card()
    {
        var member = (await Federation.MembersOfAsync(_union, _unionScope))[0];
        var number = Roster.NewCardNumber();
        var atDistrict = await Roster.IssueCardAsync(_district, member, number);
        var atUnion = await Roster.IssueCardAsync(_union, member, number);

        await Harness.SyncAsync(_district, _union);
        await PassAsync();

        foreach (var node in new[] { _city, _district, _union })
        {
            Assert.Equal(1, await node.CountAsync("SELECT COUNT(*) FROM service_cards WHERE card_number = @n", ("@n", number)));
            Assert.Equal(1, await Roster.CountWhereIdAsync(node, "service_cards", atDistrict));
            Assert.Equal(0, await Roster.CountWhereIdAsync(node, "service_cards", atUnion));
        }

        Assert.Equal("insert-insert", Assert.Single(await Harness.ConflictsAsync(_district)).Kind);
        await AssertConvergedAsync();
    }

    private async Task PassAsync()
    {
        await Harness.SyncAsync(_district, _union);
        await Harness.SyncAsync(_city, _district);
        await Harness.SyncAsync(_district, _union);
    }

    private async Task AssertConvergedAsync()
    {
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertConvergedAsync(_district, _union);
        foreach (var node in new[] { _city, _district, _union })
        {
            await Harness.AssertForeignKeysHoldAsync(node);
        }
    }
}
