using System.Globalization;
using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite;
using UnionSync.Providers.Sqlite.Tracking;
using UnionSync.Seeding;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Testing;

namespace UnionSync.Providers.Tests.Sqlite.Tracking;

/// <summary>A temp SQLite file with a generated federation, its sync provider, and a plain connection as sqlite3 would open it.</summary>
internal sealed class TrackedSqliteDatabase : IAsyncDisposable
{
    private readonly TempSqliteDatabase _file;

    private TrackedSqliteDatabase(TempSqliteDatabase file, ISyncProvider provider)
    {
        _file = file;
        Provider = provider;
    }

    public ISyncProvider Provider { get; }

    public static async Task<TrackedSqliteDatabase> CreateAsync(long members, bool provision, CancellationToken cancellationToken)
    {
        var file = new TempSqliteDatabase("tracking");
        var provider = new SqliteProviderFactory().CreateSync(file.ConnectionString);
        await new FederationGenerator().GenerateAsync(provider, new GeneratorOptions { Members = members, Seed = 7 }, cancellationToken: cancellationToken);
        if (provision)
        {
            await provider.Tracking.ProvisionAsync(cancellationToken);
        }

        return new TrackedSqliteDatabase(file, provider);
    }

    /// <summary>Runs SQL on a fresh plain connection (no pool, no provider): another writer of the file.</summary>
    public async Task<int> ExecuteRawAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenRawAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Folds the change log into the tracking rows, as an apply transaction or a snapshot does first.</summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenRawAsync(cancellationToken);
        await SqliteChangeLog.FoldPendingAsync(connection, cancellationToken);
    }

    public async Task<long> CountAsync(string sql, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(sql, cancellationToken), CultureInfo.InvariantCulture);

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenRawAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    public async Task<string> TextAsync(string sql, CancellationToken cancellationToken) =>
        (string)(await ScalarAsync(sql, cancellationToken) ?? throw new InvalidOperationException($"No value for: {sql}"));

    public async Task<List<RowChange>> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken)
    {
        await using var snapshot = await Provider.Changes.OpenSnapshotAsync(cancellationToken);
        var changes = new List<RowChange>();
        await foreach (var change in snapshot.ReadChangesAsync(query, cancellationToken))
        {
            changes.Add(change);
        }

        return changes;
    }

    public async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={_file.FilePath};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await _file.DisposeAsync();
    }
}
