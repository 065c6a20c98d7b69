using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>How a batch becomes the rows SqlBulkCopy stages: the last change of a key wins, removals are set apart, values are converted.</summary>
public sealed class SqlServerApplyStagingTests
{
    private static readonly Guid Peer = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8cff01");

    [Fact]
    public void The_last_change_of_a_key_wins_and_removals_are_kept_apart_in_batch_order()
    {
        var rows = SampleRows.Members();
        var first = Upsert(rows[0], 1);
        var second = Upsert(rows[1], 2);
        var deleteFirst = new RowChange { Table = SyncTables.Members, Key = SampleRows.MemberA, Kind = ChangeKind.Delete, Origin = new VersionIdentity(Peer, 3) };
        var remove = new RowChange { Table = SyncTables.Members, Key = SampleRows.MemberC, Kind = ChangeKind.Remove };

        var (applied, removed) = SqlServerApplyBatch.LastPerKey(SyncTables.Members, [first, second, deleteFirst, remove]);

        Assert.Equal([deleteFirst, second], applied);
        Assert.Equal([SampleRows.MemberC], removed);
    }

    [Fact]
    public void An_upsert_whose_values_name_another_key_is_refused()
    {
        var change = Upsert(SampleRows.Members()[0], 1) with { Key = SampleRows.MemberB };

        var error = Assert.Throws<ArgumentException>(() => SqlServerApplyBatch.LastPerKey(SyncTables.Members, [change]));

        Assert.Contains("key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_of_another_table_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SqlServerApplyBatch.LastPerKey(SyncTables.Organizations, [Upsert(SampleRows.Members()[0], 1)]));
    }

    [Fact]
    public void Staged_rows_carry_converted_values_kind_origin_and_tombstone_scope()
    {
        var upsert = Upsert(SampleRows.Members()[1], 5);
        var delete = new RowChange { Table = SyncTables.Members, Key = SampleRows.MemberC, Kind = ChangeKind.Delete, ScopeOrganization = SampleRows.Grassroots };

        using var staged = SqlServerStagingTable.Build(SyncTables.Members, [upsert, delete]);

        var width = SyncTables.Members.Columns.Count;
        Assert.Equal(width + 4, staged.Columns.Count);
        var up = staged.Rows[0].ItemArray;
        Assert.Equal(new DateTime(2024, 2, 29), up[SyncTables.Members.IndexOf("join_date")]);
        Assert.Equal(SampleRows.SubMicroTruncated, up[SyncTables.Members.IndexOf("created_at")]);
        Assert.Equal(DBNull.Value, up[SyncTables.Members.IndexOf("phone")]);
        Assert.Equal([(object)SqlServerStagingTable.UpsertKind, Peer, 5L, DBNull.Value], up[width..]);

        var down = staged.Rows[1].ItemArray;
        Assert.Equal(SampleRows.MemberC, down[0]);
        Assert.All(down[1..width], v => Assert.Equal(DBNull.Value, v));
        Assert.Equal([(object)SqlServerStagingTable.DeleteKind, DBNull.Value, DBNull.Value, SampleRows.Grassroots], down[width..]);
    }

    private static RowChange Upsert(object?[] row, long version) => new()
    {
        Table = SyncTables.Members,
        Key = (Guid)row[0]!,
        Kind = ChangeKind.Upsert,
        Values = row,
        Origin = new VersionIdentity(Peer, version),
    };
}
