using System.Data.Common;
using System.Globalization;

namespace UnionSync.Hub.Tests;

/// <summary>
/// What the database holds, read with plain SQL and summed in C#, independently of the hub's recursive queries.
/// Works on SQLite (text uuids) and PostgreSQL (native uuids).
/// </summary>
internal static class DirectSql
{
    public static async Task<Dictionary<Guid, Guid?>> ReadParentsAsync(DbDataSource dataSource, CancellationToken cancellationToken)
    {
        var parents = new Dictionary<Guid, Guid?>();
        await foreach (var row in QueryAsync(dataSource, "SELECT id, parent_id FROM organizations", cancellationToken))
        {
            parents[ToGuid(row[0])!.Value] = ToGuid(row[1]);
        }

        return parents;
    }

    /// <summary>The organisation and every descendant, walked in C#.</summary>
    public static HashSet<Guid> Subtree(Dictionary<Guid, Guid?> parents, Guid root)
    {
        var children = parents.Where(p => p.Value is not null).ToLookup(p => p.Value!.Value, p => p.Key);
        var subtree = new HashSet<Guid> { root };
        var queue = new Queue<Guid>([root]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var child in children[id])
            {
                if (subtree.Add(child))
                {
                    queue.Enqueue(child);
                }
            }
        }

        return subtree;
    }

    /// <summary>Members by status and active cards of the organisations in <paramref name="subtree"/>.</summary>
    public static async Task<(long Active, long Transferred, long Left, long ActiveCards)> CountAsync(
        DbDataSource dataSource, HashSet<Guid> subtree, CancellationToken cancellationToken)
    {
        long active = 0, transferred = 0, left = 0, cards = 0;
        await foreach (var row in QueryAsync(
            dataSource, "SELECT organization_id, status, COUNT(*) FROM members GROUP BY organization_id, status", cancellationToken))
        {
            if (!subtree.Contains(ToGuid(row[0])!.Value))
            {
                continue;
            }

            var count = Convert.ToInt64(row[2], CultureInfo.InvariantCulture);
            switch ((string)row[1]!)
            {
                case "active": active += count; break;
                case "transferred": transferred += count; break;
                case "left": left += count; break;
                default: throw new InvalidOperationException($"Unknown member status {row[1]}.");
            }
        }

        await foreach (var row in QueryAsync(
            dataSource,
            "SELECT m.organization_id, COUNT(*) FROM service_cards c JOIN members m ON m.id = c.member_id WHERE c.status = 'active' GROUP BY m.organization_id",
            cancellationToken))
        {
            if (subtree.Contains(ToGuid(row[0])!.Value))
            {
                cards += Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
            }
        }

        return (active, transferred, left, cards);
    }

    public static async Task<long> ScalarAsync(DbDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public static async Task<List<object?[]>> RowsAsync(DbDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await foreach (var row in QueryAsync(dataSource, sql, cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public static Guid? ToGuid(object? value) => value switch
    {
        null or DBNull => null,
        Guid guid => guid,
        string text => Guid.Parse(text),
        _ => throw new InvalidOperationException($"A uuid read as {value.GetType()}."),
    };

    private static async IAsyncEnumerable<object?[]> QueryAsync(
        DbDataSource dataSource, string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            yield return row;
        }
    }
}
