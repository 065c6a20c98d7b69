using System.Globalization;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using static UnionSync.Providers.Tests.Conformance.PlainSql;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>The base-row suite's reads and changes (<see cref="BaseRowConformanceTests"/>): counts, typed reads, and changes from a parent or a child.</summary>
internal static class BaseRowSql
{
    public static readonly Guid Parent = Guid.Parse("0190a000-0000-7000-8000-0000000000b1");

    public static readonly Guid Child = Guid.Parse("0190a000-0000-7000-8000-0000000000b2");

    public static readonly string[] BaseTables = ["unionsync_base_organizations", "unionsync_base_members", "unionsync_base_service_cards"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static Task<long> CountAsync(IDatabaseProvider provider, string table) => ScalarAsync(provider, $"SELECT COUNT(*) FROM {table}");

    /// <summary>The table numbers in <c>unionsync_base_capture</c>, in order.</summary>
    public static async Task<List<long>> CapturedAsync(IDatabaseProvider provider)
    {
        await using var command = provider.DataSource.CreateCommand("SELECT tbl FROM unionsync_base_capture ORDER BY tbl");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var numbers = new List<long>();
        while (await reader.ReadAsync(Token))
        {
            numbers.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return numbers;
    }

    public static async Task<(long Organizations, long Members, long ServiceCards)> CountBaseRowsAsync(IDatabaseProvider provider) =>
        (await CountAsync(provider, BaseTables[0]), await CountAsync(provider, BaseTables[1]), await CountAsync(provider, BaseTables[2]));

    public static async Task<IReadOnlyDictionary<Guid, object?[]>> ReadBaseRowsAsync(ISyncProvider provider, TableDescription table, IReadOnlyCollection<Guid> keys)
    {
        await using var snapshot = await provider.Changes.OpenSnapshotAsync(Token);
        return await snapshot.ReadBaseRowsAsync(table, keys, Token);
    }

    public static async Task<Dictionary<Guid, object?[]>> ReadRowsAsync(ISyncProvider provider, TableDescription table, IReadOnlyCollection<Guid> keys)
    {
        await using var snapshot = await provider.Changes.OpenSnapshotAsync(Token);
        var rows = new Dictionary<Guid, object?[]>();
        await foreach (var row in snapshot.ReadRowsAsync(table, RowSelection.ByKeys(keys), Token))
        {
            rows.Add(row.Key, row.Values!);
        }

        return rows;
    }

    public static async Task ApplyFromChildAsync(ISyncProvider provider, TableDescription table, IReadOnlyList<RowChange> changes)
    {
        await using var apply = await provider.Applier.BeginAsync(Token);
        await apply.ApplyFromChildAsync(table, changes, Child, Token);
        await apply.CommitAsync(Token);
    }

    public static RowChange Upsert(TableDescription table, object?[] values, long version) => new()
    {
        Table = table,
        Key = (Guid)values[table.KeyOrdinal]!,
        Kind = ChangeKind.Upsert,
        Values = values,
        Origin = new VersionIdentity(Parent, version),
    };

    public static RowChange Delete(TableDescription table, Guid key, long version) => new()
    {
        Table = table,
        Key = key,
        Kind = ChangeKind.Delete,
        Origin = new VersionIdentity(Parent, version),
    };
}
