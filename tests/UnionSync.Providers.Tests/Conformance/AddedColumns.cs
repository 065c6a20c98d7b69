using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>
/// The added columns of the additive-rollout tests (docs/sync-engine.md §10): <c>members.points</c> (a 64-bit integer),
/// <c>members.rank</c> (a 32-bit integer in the database, synced as 64-bit) and <c>members.wechat_id</c> (text).
/// Descriptions list added columns by name, as <see cref="SyncSchema.FromCatalog"/> does.
/// </summary>
internal static class AddedColumns
{
    /// <summary>Members with two of the three added columns: points and wechat_id (rank left out).</summary>
    public static TableDescription Members { get; } = SyncTables.Members.WithExtraColumns(
        [new("points", ColumnType.BigInt, true), new("wechat_id", ColumnType.Text, true)]);

    /// <summary>Members with all three added columns, as the database describes itself.</summary>
    public static TableDescription MembersWithRank { get; } = SyncTables.Members.WithExtraColumns(
        [new("points", ColumnType.BigInt, true), new("rank", ColumnType.BigInt, true), new("wechat_id", ColumnType.Text, true)]);

    /// <summary>A contract row of members followed by the values of <see cref="Members"/>'s added columns.</summary>
    public static object?[] Member(object?[] contractRow, long? points, string? wechatId) => [.. contractRow, points, wechatId];

    /// <summary>A contract row of members followed by the values of <see cref="MembersWithRank"/>'s added columns.</summary>
    public static object?[] MemberWithRank(object?[] contractRow, long? points, long? rank, string? wechatId) => [.. contractRow, points, rank, wechatId];
}
