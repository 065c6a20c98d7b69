using System.Globalization;
using UnionSync.Testing;

namespace UnionSync.Cli.Tests;

/// <summary>Plain SQL on a test's SQLite file, as a person with sqlite3 would read and write it beside the CLI.</summary>
internal static class PlainSqlite
{
    /// <summary>The first column of every row, as invariant text; fails when there is no row.</summary>
    public static async Task<List<string>> ScalarsAsync(TempSqliteDatabase database, string sql)
    {
        await using var provider = database.CreateProvider();
        await using var connection = await provider.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        Assert.NotEmpty(values);
        return values;
    }

    public static async Task<string> ScalarAsync(TempSqliteDatabase database, string sql) => (await ScalarsAsync(database, sql))[0];

    public static async Task ExecAsync(TempSqliteDatabase database, string sql)
    {
        await using var provider = database.CreateProvider();
        await using var connection = await provider.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
