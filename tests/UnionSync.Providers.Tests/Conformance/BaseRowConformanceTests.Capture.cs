using System.Data.Common;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using static UnionSync.Providers.Tests.Conformance.BaseRowSql;
using static UnionSync.Providers.Tests.Conformance.PlainSql;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>Which tables a node keeps base rows for: none when new, those it is told, switched on and off, and a refused name.</summary>
public abstract partial class BaseRowConformanceTests
{
    [Fact]
    public async Task A_freshly_provisioned_node_keeps_no_base_row_on_a_local_update()
    {
        await using var provider = await ProvisionedAsync();

        await ExecuteAsync(provider, "UPDATE organizations SET status = status");
        await ExecuteAsync(provider, "UPDATE members SET skill_level = 4");
        await ExecuteAsync(provider, "UPDATE service_cards SET bank = 'ICBC'");

        Assert.Empty(await CapturedAsync(provider));
        Assert.Equal((0L, 0L, 0L), await CountBaseRowsAsync(provider));
        Assert.Empty(await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA, SampleRows.MemberB, SampleRows.MemberC]));
    }

    [Fact]
    public async Task An_apply_from_a_child_keeps_no_base_row_when_its_table_is_not_captured()
    {
        await using var provider = await PreparedAsync();
        await provider.Tracking.SetBaseCaptureAsync(["organizations", "service_cards"], Token);
        var member = SampleRows.Members()[0];
        member[SyncTables.Members.IndexOf("name")] = "张伟一";
        var card = SampleRows.ServiceCards()[0];
        card[SyncTables.ServiceCards.IndexOf("bank")] = "ICBC";

        await ApplyFromChildAsync(provider, SyncTables.Members, [Upsert(SyncTables.Members, member, 1)]);
        await ApplyFromChildAsync(provider, SyncTables.ServiceCards, [Upsert(SyncTables.ServiceCards, card, 2)]);

        Assert.Empty(await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA]));
        var cards = await ReadBaseRowsAsync(provider, SyncTables.ServiceCards, [CardA]);
        Assert.Equal(SampleRows.Expected(SampleRows.ServiceCards()[0]), cards[CardA]);
        Assert.Equal((0L, 0L, 1L), await CountBaseRowsAsync(provider));
        Assert.Equal("张伟一", (await ReadRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA]))[SampleRows.MemberA][SyncTables.Members.IndexOf("name")]);
    }

    [Fact]
    public async Task Turning_a_table_off_drops_its_base_rows_keeps_the_others_and_keeps_none_of_its_later_changes()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, "UPDATE organizations SET status = status");
        await ExecuteAsync(provider, "UPDATE members SET skill_level = 4");
        await ExecuteAsync(provider, "UPDATE service_cards SET bank = 'ICBC'");
        Assert.Equal((3L, 3L, 3L), await CountBaseRowsAsync(provider));

        await provider.Tracking.SetBaseCaptureAsync(["service_cards", "organizations"], Token);
        var afterOff = await CountBaseRowsAsync(provider);
        await provider.Tracking.SetBaseCaptureAsync(["organizations", "service_cards", "organizations"], Token);
        await ExecuteAsync(provider, $"UPDATE members SET skill_level = 1 WHERE id_number = '{IdNumberA}'");

        Assert.Equal((3L, 0L, 3L), afterOff);
        Assert.Equal((3L, 0L, 3L), await CountBaseRowsAsync(provider));
        Assert.Equal([1L, 3L], await CapturedAsync(provider));
        Assert.Equal(SampleRows.Expected(SampleRows.ServiceCards()[0]), (await ReadBaseRowsAsync(provider, SyncTables.ServiceCards, [CardA]))[CardA]);
    }

    [Fact]
    public async Task Turning_a_table_on_again_keeps_base_rows_from_its_next_change_on()
    {
        await using var provider = await PreparedAsync();
        await provider.Tracking.SetBaseCaptureAsync([], Token);
        await ExecuteAsync(provider, $"UPDATE members SET skill_level = 1 WHERE id_number = '{IdNumberA}'");
        Assert.Equal((0L, 0L, 0L), await CountBaseRowsAsync(provider));

        await provider.Tracking.SetBaseCaptureAsync(["members"], Token);
        var beforeNextChange = await CountBaseRowsAsync(provider);
        await ExecuteAsync(provider, $"UPDATE members SET skill_level = 2 WHERE id_number = '{IdNumberA}'");
        await ExecuteAsync(provider, "UPDATE service_cards SET bank = 'ICBC'");

        var asBefore = SampleRows.Members()[0];
        asBefore[SyncTables.Members.IndexOf("skill_level")] = (short)1;
        Assert.Equal((0L, 0L, 0L), beforeNextChange);
        Assert.Equal([2L], await CapturedAsync(provider));
        Assert.Equal(SampleRows.Expected(asBefore), (await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA]))[SampleRows.MemberA]);
        Assert.Equal((0L, 1L, 0L), await CountBaseRowsAsync(provider));
    }

    [Fact]
    public async Task An_unknown_table_name_is_refused_naming_it_and_changes_nothing()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, "UPDATE members SET skill_level = 4");

        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.Tracking.SetBaseCaptureAsync(["members", "payments"], Token));

        Assert.Contains("payments", refused.Message, StringComparison.Ordinal);
        Assert.Equal([1L, 2L, 3L], await CapturedAsync(provider));
        Assert.Equal((0L, 3L, 0L), await CountBaseRowsAsync(provider));
    }
}
