using UnionSync.Sync.Changes;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using static UnionSync.Providers.Tests.Conformance.PlainSql;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>
/// The additive column rollout (docs/sync-engine.md §10), for every provider: a node adds nullable columns to a synced
/// table; it describes them as extras, reads and writes them wherever a description carries them, and leaves them alone
/// wherever a description does not. A provider plugs in with a subclass that supplies a new empty database, its row
/// reader and its DDL for an added column. Tag the subclass with <c>[Trait("db", "NAME")]</c>.
/// </summary>
public abstract class AddedColumnConformanceTests
{
    private const string IdNumberA = SampleRows.IdNumberWithX;
    private static readonly Guid Peer = Guid.Parse("0190a000-0000-7000-8000-0000000000aa");
    private static readonly Guid NewMember = Guid.Parse("0190a000-0000-7000-8000-0000000000e1");

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A provider on a NEW, EMPTY database (not migrated), disposed by the test.</summary>
    protected abstract Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken);

    /// <summary>Every row of <paramref name="table"/> (its columns as the description lists them) in the CLR types of <see cref="ColumnType"/>.</summary>
    protected abstract IAsyncEnumerable<object?[]> ReadRowsAsync(IDatabaseProvider provider, TableDescription table, CancellationToken cancellationToken);

    /// <summary>The DDL that adds <paramref name="column"/> of <paramref name="kind"/> to <paramref name="table"/>.</summary>
    protected abstract string AddColumnSql(string table, string column, AddedColumnKind kind);

    /// <summary>How the catalog names the type of <see cref="AddedColumnKind.Unsynced"/>, as the refusal quotes it.</summary>
    protected abstract string UnsyncedTypeName { get; }

    /// <summary>Calls <c>Assert.Skip</c> when the provider cannot run here; does nothing by default.</summary>
    protected virtual void EnsureAvailable()
    {
    }

    [Fact]
    public async Task Describe_lists_added_nullable_columns_as_extras_with_their_types()
    {
        await using var provider = await MigratedAsync();
        var before = await provider.Changes.DescribeAsync(Token);
        await AddColumnsAsync(provider);

        var after = await provider.Changes.DescribeAsync(Token);

        Assert.False(before.HasExtraColumns);
        Assert.Equal(SyncTables.Members.Signature, before.Members.Signature);
        Assert.Equal(AddedColumns.MembersWithRank.ExtraColumns, after.Members.ExtraColumns);
        Assert.Equal(AddedColumns.MembersWithRank.Signature, after.Members.Signature);
        Assert.Equal(SyncTables.Members.Columns, after.Members.Columns.Take(after.Members.ContractColumnCount));
        Assert.Empty(after.Organizations.ExtraColumns);
        Assert.Empty(after.ServiceCards.ExtraColumns);
    }

    [Fact]
    public async Task Describe_refuses_a_not_null_added_column_naming_it()
    {
        await using var provider = await MigratedAsync();
        await ExecuteAsync(provider, AddColumnSql("members", "nickname", AddedColumnKind.NotNullText));

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => provider.Changes.DescribeAsync(Token));

        Assert.Contains("members.nickname", error.Message, StringComparison.Ordinal);
        Assert.Contains("NOT NULL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_refuses_an_added_column_of_a_type_that_does_not_sync_naming_it()
    {
        await using var provider = await MigratedAsync();
        await ExecuteAsync(provider, AddColumnSql("organizations", "profile", AddedColumnKind.Unsynced));

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => provider.Changes.DescribeAsync(Token));

        Assert.Contains("organizations.profile", error.Message, StringComparison.Ordinal);
        Assert.Contains(UnsyncedTypeName, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("does not sync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_rows_and_current_rows_carry_the_values_of_the_described_added_columns()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, $"UPDATE members SET points = 9000000000, wechat_id = 'wx_zhang', rank = 7 WHERE id_number = '{IdNumberA}'");
        var members = AddedColumns.Members;

        var changes = await ReadChangesAsync(provider, members, 0);
        var rows = await ReadSelectedAsync(provider, members, RowSelection.ByKeys([SampleRows.MemberA, SampleRows.MemberB]));
        var subtree = await ReadSelectedAsync(provider, members, RowSelection.Subtree(SampleRows.City));
        var contract = await ReadChangesAsync(provider, SyncTables.Members, 0);
        IReadOnlyDictionary<Guid, CurrentRow> current;
        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            current = await apply.ReadCurrentAsync(members, [SampleRows.MemberA, SampleRows.MemberB], Token);
        }

        var change = Assert.Single(changes);
        Assert.Equal((SampleRows.MemberA, ChangeKind.Upsert), (change.Key, change.Kind));
        Assert.Equal([(object)9_000_000_000L, "wx_zhang"], change.Values![^2..]);
        Assert.Equal(SampleRows.Expected(SampleRows.Members()[0]), change.Values[..^2]);
        Assert.Equal([(object)9_000_000_000L, "wx_zhang"], rows[SampleRows.MemberA][^2..]);
        Assert.Equal([null, null], rows[SampleRows.MemberB][^2..]);
        Assert.Equal(3, subtree.Count);
        Assert.All(subtree.Values, v => Assert.Equal(members.Columns.Count, v.Length));
        Assert.Equal(SyncTables.Members.Columns.Count, Assert.Single(contract).Values!.Length);
        Assert.Equal([(object)9_000_000_000L, "wx_zhang"], current[SampleRows.MemberA].Values![^2..]);
        Assert.Equal([null, null], current[SampleRows.MemberB].Values![^2..]);
    }

    [Fact]
    public async Task An_apply_with_the_added_columns_writes_them_and_leaves_a_column_it_does_not_carry()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, $"UPDATE members SET rank = 7 WHERE id_number = '{IdNumberA}'");
        var members = AddedColumns.Members;
        var renamed = SampleRows.Members()[0];
        renamed[SyncTables.Members.IndexOf("name")] = "张伟伟";
        var inserted = SampleRows.Member(NewMember, SampleRows.Grassroots, "110105194912310029");

        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(
                members,
                [Upsert(members, AddedColumns.Member(renamed, 1, "wx_new"), 1), Upsert(members, AddedColumns.Member(inserted, 9_000_000_000L, "wx_n"), 2)],
                Peer,
                Token);
            await apply.ApplyFromChildAsync(members, [Upsert(members, AddedColumns.Member(SampleRows.Members()[1], -3, "wx_b"), 3)], Peer, Token);
            await apply.CommitAsync(Token);
        }

        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            var withRank = AddedColumns.MembersWithRank;
            await apply.ApplyAsync(withRank, [Upsert(withRank, AddedColumns.MemberWithRank(SampleRows.Members()[2], null, int.MaxValue, "wx_c"), 4)], Peer, Token);
            await apply.CommitAsync(Token);
        }

        var stored = await ReadTableAsync(provider, AddedColumns.MembersWithRank);
        Assert.Equal("张伟伟", stored[SampleRows.MemberA][SyncTables.Members.IndexOf("name")]);
        Assert.Equal([(object)1L, 7L, "wx_new"], stored[SampleRows.MemberA][^3..]);
        Assert.Equal([(object)9_000_000_000L, null, "wx_n"], stored[NewMember][^3..]);
        Assert.Equal([(object)(-3L), null, "wx_b"], stored[SampleRows.MemberB][^3..]);
        Assert.Equal([null, (object)(long)int.MaxValue, "wx_c"], stored[SampleRows.MemberC][^3..]);
    }

    [Fact]
    public async Task An_apply_without_the_added_columns_leaves_their_values_as_they_are()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, $"UPDATE members SET points = 5, rank = 7, wechat_id = 'wx_zhang' WHERE id_number = '{IdNumberA}'");
        var renamed = SampleRows.Members()[0];
        renamed[SyncTables.Members.IndexOf("name")] = "张伟伟";
        var inserted = SampleRows.Member(NewMember, SampleRows.Grassroots, "110105194912310029");

        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.Members, [Upsert(SyncTables.Members, renamed, 1), Upsert(SyncTables.Members, inserted, 2)], Peer, Token);
            await apply.CommitAsync(Token);
        }

        var stored = await ReadTableAsync(provider, AddedColumns.MembersWithRank);
        Assert.Equal("张伟伟", stored[SampleRows.MemberA][SyncTables.Members.IndexOf("name")]);
        Assert.Equal([(object)5L, 7L, "wx_zhang"], stored[SampleRows.MemberA][^3..]);
        Assert.Equal([null, null, null], stored[NewMember][^3..]);
    }

    [Fact]
    public async Task Filling_added_columns_writes_only_where_they_are_null_and_records_no_change()
    {
        await using var provider = await PreparedAsync();
        await ExecuteAsync(provider, $"UPDATE members SET wechat_id = 'mine' WHERE id_number = '{IdNumberA}'");
        await PlainSql.SettleAsync(provider);
        var members = AddedColumns.Members;
        // Not a watermark: on PostgreSQL a snapshot's bound is held back by any transaction open in the cluster (other
        // tests run beside this one), so "changes since" may list older ones. The tracking rows themselves must not move.
        const string Tracking = "SELECT COUNT(*) * 1000003 + COALESCE(MAX(version) % 1000003, 0) FROM unionsync_tracking";
        var tracking = await ScalarAsync(provider, Tracking);

        var renamed = SampleRows.Members()[0];
        renamed[SyncTables.Members.IndexOf("name")] = "不该写入";
        var unknown = SampleRows.Member(NewMember, SampleRows.Grassroots, "110105194912310029");
        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            await apply.FillColumnsAsync(
                members,
                [
                    Upsert(members, AddedColumns.Member(renamed, 11, "theirs"), 1),
                    Upsert(members, AddedColumns.Member(SampleRows.Members()[1], 12, "wx_b"), 2),
                    Upsert(members, AddedColumns.Member(unknown, 13, "wx_unknown"), 3),
                ],
                Token);
            await apply.CommitAsync(Token);
        }

        var stored = await ReadTableAsync(provider, AddedColumns.MembersWithRank);
        Assert.Equal([(object)11L, null, "mine"], stored[SampleRows.MemberA][^3..]);
        Assert.Equal("张伟", stored[SampleRows.MemberA][SyncTables.Members.IndexOf("name")]);
        Assert.Equal([(object)12L, null, "wx_b"], stored[SampleRows.MemberB][^3..]);
        Assert.Equal([null, null, null], stored[SampleRows.MemberC][^3..]);
        Assert.False(stored.ContainsKey(NewMember));
        Assert.Equal(tracking, await ScalarAsync(provider, Tracking));
    }

    [Fact]
    public async Task The_bulk_path_loads_the_added_columns_in_every_integer_width()
    {
        await using var provider = await MigratedAsync();
        await AddColumnsAsync(provider);
        var members = AddedColumns.MembersWithRank;
        var source = SampleRows.Members();
        object?[][] rows =
        [
            AddedColumns.MemberWithRank(source[0], 9_000_000_000L, 42, "wx_zhang"),
            AddedColumns.MemberWithRank(source[1], null, null, null),
            AddedColumns.MemberWithRank(source[2], -1, int.MinValue, "微信 𠮷"),
        ];

        await LoadAsync(provider, [(SyncTables.Organizations, SampleRows.Organizations()), (members, rows)]);

        var stored = await ReadTableAsync(provider, members);
        foreach (var row in rows)
        {
            Assert.Equal(SampleRows.Expected(row), stored[(Guid)row[0]!]);
        }

        Assert.All(stored.Values.SelectMany(v => v[^3..^1]).OfType<object>(), v => Assert.IsType<long>(v));
    }

    protected async Task<ISyncProvider> MigratedAsync()
    {
        EnsureAvailable();
        var provider = await CreateProviderAsync(Token);
        await provider.Schema.MigrateAsync(Token);
        return provider;
    }

    /// <summary>Migrated, the sample rows loaded, the three columns added to members, then provisioned.</summary>
    protected async Task<ISyncProvider> PreparedAsync()
    {
        var provider = await MigratedAsync();
        await LoadAsync(provider, SampleRows.All());
        await AddColumnsAsync(provider);
        await provider.Tracking.ProvisionAsync(Token);
        return provider;
    }

    protected async Task AddColumnsAsync(IDatabaseProvider provider)
    {
        await ExecuteAsync(provider, AddColumnSql("members", "wechat_id", AddedColumnKind.Text));
        await ExecuteAsync(provider, AddColumnSql("members", "points", AddedColumnKind.Integer64));
        await ExecuteAsync(provider, AddColumnSql("members", "rank", AddedColumnKind.Integer32));
    }

    private static RowChange Upsert(TableDescription table, object?[] values, long version) => new()
    {
        Table = table,
        Key = (Guid)values[table.KeyOrdinal]!,
        Kind = ChangeKind.Upsert,
        Values = values,
        Origin = new VersionIdentity(Peer, version),
    };

    private static async Task<List<RowChange>> ReadChangesAsync(ISyncProvider provider, TableDescription table, long since)
    {
        await using var snapshot = await provider.Changes.OpenSnapshotAsync(Token);
        var changes = new List<RowChange>();
        await foreach (var change in snapshot.ReadChangesAsync(new ChangeQuery(table, since, null, null), Token))
        {
            changes.Add(change);
        }

        return changes;
    }

    private static async Task<Dictionary<Guid, object?[]>> ReadSelectedAsync(ISyncProvider provider, TableDescription table, RowSelection selection)
    {
        await using var snapshot = await provider.Changes.OpenSnapshotAsync(Token);
        var rows = new Dictionary<Guid, object?[]>();
        await foreach (var row in snapshot.ReadRowsAsync(table, selection, Token))
        {
            rows.Add(row.Key, row.Values!);
        }

        return rows;
    }

    private async Task<Dictionary<Guid, object?[]>> ReadTableAsync(IDatabaseProvider provider, TableDescription table)
    {
        var rows = new Dictionary<Guid, object?[]>();
        await foreach (var row in ReadRowsAsync(provider, table, Token))
        {
            rows.Add((Guid)row[table.KeyOrdinal]!, row);
        }

        return rows;
    }
}
