using System.Globalization;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>
/// What the conformance suites do to a database besides the provider's ports: plain SQL on a connection of its own (as
/// another application's writes would be), and the sample rows loaded through the bulk path.
/// </summary>
internal static class PlainSql
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Runs <paramref name="sql"/> on a connection of its own, outside any transaction of the provider's.</summary>
    public static async Task ExecuteAsync(IDatabaseProvider provider, string sql)
    {
        await using var command = provider.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }

    /// <summary>
    /// The local writes made so far become tracking rows, as before a sync: SQLite logs them and folds the log into its
    /// tracking rows when a snapshot is taken; the other providers track at once.
    /// </summary>
    public static async Task SettleAsync(ISyncProvider provider)
    {
        await using var snapshot = await provider.Changes.OpenSnapshotAsync(Token);
    }

    /// <summary>The first column of the first row, as a 64-bit integer.</summary>
    public static async Task<long> ScalarAsync(IDatabaseProvider provider, string sql)
    {
        await using var command = provider.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Token), CultureInfo.InvariantCulture);
    }

    /// <summary>Loads <paramref name="tables"/> (by default every table of <see cref="SampleRows"/>) through the bulk path, in one transaction, each table's count checked.</summary>
    public static async Task LoadAsync(IDatabaseProvider provider, IEnumerable<(Sync.Schema.TableDescription Table, object?[][] Rows)>? tables = null)
    {
        await using var load = await provider.BulkLoader.BeginAsync(Token);
        foreach (var (table, rows) in tables ?? SampleRows.All())
        {
            await using var writer = await load.OpenTableAsync(table, Token);
            foreach (var row in rows)
            {
                await writer.WriteAsync(row, Token);
            }

            Assert.Equal(rows.Length, await writer.CompleteAsync(Token));
        }

        await load.CommitAsync(Token);
    }
}
