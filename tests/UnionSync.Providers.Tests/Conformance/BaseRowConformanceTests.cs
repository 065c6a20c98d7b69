using System.Data.Common;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using static UnionSync.Providers.Tests.Conformance.BaseRowSql;
using static UnionSync.Providers.Tests.Conformance.PlainSql;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>
/// Base rows (docs/sync-engine.md §11), for every provider: a node keeps the values of a row as it last agreed them with its
/// parent from the row's first local change since then until the next version it receives from the parent, and reads
/// them back typed as its rows, for the tables it is told to keep them for (those its parent merges by columns; none on a
/// new node). Local writes are plain SQL on a connection of their own, as another application's would be. A provider
/// plugs in with a subclass that supplies a new empty database; tag it with <c>[Trait("db", "NAME")]</c>.
/// </summary>
public abstract partial class BaseRowConformanceTests
{
    private const string IdNumberA = SampleRows.IdNumberWithX;
    private const string IdNumberB = "440106198001010012";
    private const string IdNumberC = "310101199912319999";
    private const string CardOfA = "6222021234567890123";
    private const string CardOfB = "6228480012345678";
    private static readonly Guid NewMember = Guid.Parse("0190a000-0000-7000-8000-0000000000b3");
    private static readonly Guid CardA = (Guid)SampleRows.ServiceCards()[0][0]!;
    private static readonly Guid CardB = (Guid)SampleRows.ServiceCards()[1][0]!;
    private static readonly string[] AllTables = ["organizations", "members", "service_cards"];

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// Whether a local removal also drops the base rows of the rows removed with the keys given (an organisation's subtree,
    /// a member's cards). The contract asks it of the keys given only: a dependent's base row left behind is harmless, as
    /// the row can only come back from the parent, whose apply drops it.
    /// </summary>
    protected virtual bool RemovalDropsDependentsBaseRows => false;

    /// <summary>A provider on a NEW, EMPTY database (not migrated), disposed by the test.</summary>
    protected abstract Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken);

    /// <summary>Calls <c>Assert.Skip</c> when the provider cannot run here; does nothing by default.</summary>
    protected virtual void EnsureAvailable()
    {
    }

    [Fact]
    public async Task A_local_update_keeps_the_row_as_it_was_before_its_first_change_and_a_second_update_keeps_it_too()
    {
        await using var provider = await PreparedAsync();

        await ExecuteAsync(provider, $"UPDATE members SET name = 'Zhang Wei', skill_level = 1 WHERE id_number = '{IdNumberA}'");
        var first = await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA, SampleRows.MemberB]);
        await ExecuteAsync(provider, $"UPDATE members SET phone = NULL, skill_level = 2 WHERE id_number = '{IdNumberA}'");
        var second = await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA, SampleRows.MemberB]);

        var agreed = SampleRows.Expected(SampleRows.Members()[0]);
        Assert.Equal([SampleRows.MemberA], first.Keys);
        Assert.Equal(agreed, first[SampleRows.MemberA]);
        Assert.Equal([SampleRows.MemberA], second.Keys);
        Assert.Equal(agreed, second[SampleRows.MemberA]);
        Assert.Equal(1L, await CountAsync(provider, "unionsync_base_members"));
    }

    [Fact]
    public async Task An_insert_and_a_delete_keep_no_base_row()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, $"UPDATE members SET skill_level = 1 WHERE id_number = '{IdNumberA}'");

        await ExecuteAsync(
            provider,
            "INSERT INTO members (id, organization_id, name, id_number, phone, employer_code, join_date, status, migrant_worker, skill_level, created_at, updated_at) " +
            $"SELECT '{NewMember:D}', organization_id, name, '110105194912310029', phone, employer_code, join_date, status, migrant_worker, skill_level, " +
            $"created_at, updated_at FROM members WHERE id_number = '{IdNumberA}'");
        await ExecuteAsync(provider, $"DELETE FROM service_cards WHERE card_number = '{CardOfB}'");

        Assert.Equal([SampleRows.MemberA], (await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA, NewMember])).Keys);
        Assert.Empty(await ReadBaseRowsAsync(provider, SyncTables.ServiceCards, [CardB]));
        Assert.Equal((0L, 1L, 0L), await CountBaseRowsAsync(provider));
    }

    [Fact]
    public async Task An_apply_from_the_parent_drops_the_base_rows_of_the_keys_it_applies()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, "UPDATE members SET skill_level = 4");
        await ExecuteAsync(provider, $"UPDATE service_cards SET bank = 'ICBC' WHERE card_number IN ('{CardOfA}', '{CardOfB}')");
        var renamed = SampleRows.Members()[0];
        renamed[SyncTables.Members.IndexOf("name")] = "张伟伟";

        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.ServiceCards, [Delete(SyncTables.ServiceCards, CardB, 1)], Parent, Token);
            await apply.ApplyAsync(SyncTables.Members, [Upsert(SyncTables.Members, renamed, 2), Delete(SyncTables.Members, SampleRows.MemberB, 3)], Parent, Token);
            await apply.CommitAsync(Token);
        }

        var members = await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA, SampleRows.MemberB, SampleRows.MemberC]);
        Assert.Equal([SampleRows.MemberC], members.Keys);
        Assert.Equal(SampleRows.Expected(SampleRows.Members()[2]), members[SampleRows.MemberC]);
        Assert.Equal([CardA], (await ReadBaseRowsAsync(provider, SyncTables.ServiceCards, [CardA, CardB])).Keys);
    }

    [Fact]
    public async Task An_apply_from_a_child_keeps_the_row_as_it_was_here_and_a_later_one_keeps_the_first()
    {
        await using var provider = await PreparedAsync();
        var first = SampleRows.Members()[0];
        first[SyncTables.Members.IndexOf("name")] = "张伟一";
        var second = SampleRows.Members()[0];
        second[SyncTables.Members.IndexOf("name")] = "张伟二";
        var inserted = SampleRows.Member(NewMember, SampleRows.Grassroots, "110105194912310029");

        await ApplyFromChildAsync(provider, SyncTables.Members, [Upsert(SyncTables.Members, first, 1), Upsert(SyncTables.Members, inserted, 2)]);
        var kept = await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA, NewMember]);
        await ApplyFromChildAsync(provider, SyncTables.Members, [Upsert(SyncTables.Members, second, 3)]);
        var again = await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA, NewMember]);

        var agreed = SampleRows.Expected(SampleRows.Members()[0]);
        Assert.Equal([SampleRows.MemberA], kept.Keys);
        Assert.Equal(agreed, kept[SampleRows.MemberA]);
        Assert.Equal([SampleRows.MemberA], again.Keys);
        Assert.Equal(agreed, again[SampleRows.MemberA]);
        Assert.Equal("张伟二", (await ReadRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA]))[SampleRows.MemberA][SyncTables.Members.IndexOf("name")]);
    }

    [Fact]
    public async Task An_apply_from_a_child_keeps_the_base_row_a_local_update_kept_before_it()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, $"UPDATE members SET skill_level = 1 WHERE id_number = '{IdNumberA}'");
        var edited = SampleRows.Members()[0];
        edited[SyncTables.Members.IndexOf("skill_level")] = (short)2;

        await ApplyFromChildAsync(provider, SyncTables.Members, [Upsert(SyncTables.Members, edited, 1)]);

        var kept = await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA]);
        Assert.Equal(SampleRows.Expected(SampleRows.Members()[0]), kept[SampleRows.MemberA]);
    }

    [Fact]
    public async Task The_engines_own_apply_writes_no_base_row_through_the_triggers()
    {
        await using var provider = await PreparedAsync();
        var renamed = SampleRows.Members()[0];
        renamed[SyncTables.Members.IndexOf("name")] = "张伟伟";
        var organization = SampleRows.Organizations()[2];
        organization[SyncTables.Organizations.IndexOf("status")] = "active";

        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.Organizations, [Upsert(SyncTables.Organizations, organization, 1)], Parent, Token);
            await apply.ApplyAsync(
                SyncTables.Members,
                [Upsert(SyncTables.Members, renamed, 2), Upsert(SyncTables.Members, SampleRows.Member(NewMember, SampleRows.Grassroots, "110105194912310029"), 3)],
                Parent,
                Token);
            await apply.ApplyAsync(SyncTables.ServiceCards, [Delete(SyncTables.ServiceCards, CardB, 4)], Parent, Token);
            await apply.CommitAsync(Token);
        }

        Assert.Equal((0L, 0L, 0L), await CountBaseRowsAsync(provider));
        Assert.Equal("张伟伟", (await ReadRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA]))[SampleRows.MemberA][SyncTables.Members.IndexOf("name")]);
    }

    [Fact]
    public async Task A_local_removal_leaves_no_base_row_of_the_keys_it_removes()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, "UPDATE organizations SET status = status");
        await ExecuteAsync(provider, "UPDATE members SET skill_level = 4");
        await ExecuteAsync(provider, "UPDATE service_cards SET bank = 'ICBC'");

        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            await apply.RemoveLocallyAsync(SyncTables.ServiceCards, [CardA], Token);
            await apply.RemoveLocallyAsync(SyncTables.Members, [SampleRows.MemberB], Token);
            await apply.CommitAsync(Token);
        }

        var members = await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA, SampleRows.MemberB, SampleRows.MemberC]);
        var cards = await ReadBaseRowsAsync(provider, SyncTables.ServiceCards, [.. SampleRows.ServiceCards().Select(c => (Guid)c[0]!)]);
        Assert.Equal([SampleRows.MemberA, SampleRows.MemberC], members.Keys.Order());
        Assert.DoesNotContain(CardA, cards.Keys);
        if (RemovalDropsDependentsBaseRows)
        {
            Assert.Equal([(Guid)SampleRows.ServiceCards()[2][0]!], cards.Keys);
        }

        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            await apply.RemoveLocallyAsync(SyncTables.Organizations, [SampleRows.District], Token);
            await apply.CommitAsync(Token);
        }

        var organizations = await ReadBaseRowsAsync(provider, SyncTables.Organizations, [SampleRows.City, SampleRows.District, SampleRows.Grassroots]);
        Assert.DoesNotContain(SampleRows.District, organizations.Keys);
        Assert.Contains(SampleRows.City, organizations.Keys);
        if (RemovalDropsDependentsBaseRows)
        {
            Assert.Equal((1L, 0L, 0L), await CountBaseRowsAsync(provider));
        }
    }

    [Fact]
    public async Task Reinitialising_clears_every_base_row()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, "UPDATE organizations SET status = status");
        await ExecuteAsync(provider, "UPDATE members SET skill_level = 4");
        await ExecuteAsync(provider, "UPDATE service_cards SET bank = 'ICBC'");
        Assert.Equal((3L, 3L, 3L), await CountBaseRowsAsync(provider));

        await using (var reinitialisation = await provider.Retention.BeginReinitialiseAsync(Token))
        {
            long uploaded;
            await using (var snapshot = await provider.Changes.OpenSnapshotAsync(Token))
            {
                uploaded = snapshot.Watermark;
            }

            Assert.True(await reinitialisation.ClearAsync(Parent, uploaded, Token));
        }

        Assert.Equal((0L, 0L, 0L), await CountBaseRowsAsync(provider));
    }

    [Fact]
    public async Task Deprovisioning_drops_the_base_row_tables_and_provisioning_again_creates_them_empty()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, "UPDATE members SET skill_level = 4");

        await provider.Tracking.DeprovisionAsync(Token);

        foreach (var table in BaseTables)
        {
            await Assert.ThrowsAnyAsync<DbException>(() => CountAsync(provider, table));
        }

        await provider.Tracking.ProvisionAsync(Token);
        Assert.Equal((0L, 0L, 0L), await CountBaseRowsAsync(provider));
    }

    [Fact]
    public async Task Provisioning_again_upgrades_a_node_that_has_no_base_row_tables()
    {
        await using var provider = await PreparedAsync();
        foreach (var table in BaseTables)
        {
            await ExecuteAsync(provider, $"DROP TABLE {table}");
        }

        await provider.Tracking.ProvisionAsync(Token);
        await ExecuteAsync(provider, $"UPDATE members SET skill_level = 1 WHERE id_number = '{IdNumberC}'");

        var kept = await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberC]);
        Assert.Equal(SampleRows.Expected(SampleRows.Members()[2]), kept[SampleRows.MemberC]);
    }

    [Fact]
    public async Task Base_rows_are_read_typed_as_rows_are_value_for_value_and_keys_without_one_are_absent()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, "UPDATE organizations SET status = status");
        await ExecuteAsync(provider, $"UPDATE members SET skill_level = 4 WHERE id_number IN ('{IdNumberA}', '{IdNumberB}', '{IdNumberC}')");
        await ExecuteAsync(provider, "UPDATE service_cards SET bank = 'ICBC'");

        foreach (var (table, rows) in SampleRows.All())
        {
            // Many more keys than rows, past any batching of the keys; a description with added columns reads the contract's.
            var keys = rows.Select(r => (Guid)r[0]!).Concat(Enumerable.Range(0, 12_000).Select(_ => Guid.NewGuid())).ToList();
            var withExtra = table.WithExtraColumns([new("remark", ColumnType.Text, true)]);

            var read = await ReadBaseRowsAsync(provider, table, keys);
            var readWithExtra = await ReadBaseRowsAsync(provider, withExtra, keys);

            Assert.Equal(rows.Length, read.Count);
            foreach (var row in rows)
            {
                var values = read[(Guid)row[0]!];
                Assert.Equal(SampleRows.Expected(row), values);
                Assert.Equal(values.Select(v => v?.GetType()), SampleRows.Expected(row).Select(v => v?.GetType()));
                Assert.All(values.OfType<DateTime>(), t => Assert.Equal(DateTimeKind.Utc, t.Kind));
                Assert.Equal(values, readWithExtra[(Guid)row[0]!]);
            }
        }
    }

    [Fact]
    public async Task Base_rows_are_read_in_the_snapshots_transaction()
    {
        await using var provider = await PreparedAsync();
        await using var snapshot = await provider.Changes.OpenSnapshotAsync(Token);

        await ExecuteAsync(provider, $"UPDATE members SET skill_level = 1 WHERE id_number = '{IdNumberA}'");

        Assert.Empty(await snapshot.ReadBaseRowsAsync(SyncTables.Members, [SampleRows.MemberA], Token));
        Assert.Equal([SampleRows.MemberA], (await ReadBaseRowsAsync(provider, SyncTables.Members, [SampleRows.MemberA])).Keys);
    }

    /// <summary>Migrated, the sample rows loaded through the bulk path, provisioned, then keeping the base rows of every table.</summary>
    protected async Task<ISyncProvider> PreparedAsync()
    {
        var provider = await ProvisionedAsync();
        await provider.Tracking.SetBaseCaptureAsync(AllTables, Token);
        return provider;
    }

    /// <summary>Migrated, the sample rows loaded through the bulk path, then provisioned: a new node, which keeps no base rows.</summary>
    protected async Task<ISyncProvider> ProvisionedAsync()
    {
        EnsureAvailable();
        var provider = await CreateProviderAsync(Token);
        await provider.Schema.MigrateAsync(Token);
        await LoadAsync(provider);
        await provider.Tracking.ProvisionAsync(Token);
        return provider;
    }
}
