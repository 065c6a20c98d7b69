using System.Data.Common;
using System.Globalization;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Seeding.Tests;

/// <summary>Checks on a database the generator has written: counts, foreign keys, and every row equal to the enumerated one.</summary>
internal static class LoadedDatabase
{
    public delegate IAsyncEnumerable<object?[]> ReadAll(DbDataSource dataSource, TableDescription table, CancellationToken cancellationToken);

    public static async Task<long> CountAsync(IDatabaseProvider provider, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await provider.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public static async Task AssertCountsAsync(IDatabaseProvider provider, GenerationResult result, GeneratorOptions options, CancellationToken cancellationToken)
    {
        var shape = FederationGenerator.Plan(options);
        Assert.Equal(shape.Organizations, result.Organizations);
        Assert.Equal(options.Members, result.Members);
        Assert.Equal(shape.Cards, result.Cards);
        Assert.Equal(result.Organizations, await CountAsync(provider, "SELECT COUNT(*) FROM organizations", cancellationToken));
        Assert.Equal(result.Members, await CountAsync(provider, "SELECT COUNT(*) FROM members", cancellationToken));
        Assert.Equal(result.Cards, await CountAsync(provider, "SELECT COUNT(*) FROM service_cards", cancellationToken));
    }

    public static async Task AssertForeignKeysHoldAsync(IDatabaseProvider provider, CancellationToken cancellationToken)
    {
        Assert.Equal(0, await CountAsync(provider, "SELECT COUNT(*) FROM organizations c LEFT JOIN organizations p ON p.id = c.parent_id WHERE c.parent_id IS NOT NULL AND p.id IS NULL", cancellationToken));
        Assert.Equal(0, await CountAsync(provider, "SELECT COUNT(*) FROM members m LEFT JOIN organizations o ON o.id = m.organization_id WHERE o.id IS NULL OR o.level <> 4", cancellationToken));
        Assert.Equal(0, await CountAsync(provider, "SELECT COUNT(*) FROM service_cards c LEFT JOIN members m ON m.id = c.member_id WHERE m.id IS NULL", cancellationToken));
        Assert.Equal(0, await CountAsync(provider, "SELECT COUNT(*) FROM service_cards c JOIN members m ON m.id = c.member_id WHERE m.status = 'left' AND c.status = 'active'", cancellationToken));
    }

    public static async Task AssertRowsEqualEnumeratedAsync(IDatabaseProvider provider, GeneratorOptions options, ReadAll readAll, CancellationToken cancellationToken)
    {
        foreach (var table in SyncTables.All)
        {
            var expected = FederationGenerator.EnumerateRows(table, options)
                .Select(RowText.Of)
                .Order(StringComparer.Ordinal)
                .ToList();
            var actual = new List<string>();
            await foreach (var row in readAll(provider.DataSource, table, cancellationToken))
            {
                actual.Add(RowText.Of(row));
            }

            actual.Sort(StringComparer.Ordinal);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.True(expected[i] == actual[i], $"{table.Name} row {i} differs:\n expected {expected[i]}\n   actual {actual[i]}");
            }
        }
    }
}
