using Npgsql;
using UnionSync.Providers.Postgres;
using UnionSync.Seeding;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>A new database on the run's server with the schema (and optionally a generated federation), plus raw SQL helpers that act as psql would.</summary>
internal sealed class PostgresTrackingDatabase : IAsyncDisposable
{
    private PostgresTrackingDatabase(string connectionString, ISyncProvider provider)
    {
        ConnectionString = connectionString;
        Provider = provider;
    }

    public string ConnectionString { get; }

    public ISyncProvider Provider { get; }

    public static async Task<PostgresTrackingDatabase> CreateAsync(PostgresServerFixture server, long members, CancellationToken cancellationToken)
    {
        var connectionString = await server.CreateDatabaseAsync(cancellationToken);
        var provider = (ISyncProvider)new PostgresProviderFactory().Create(connectionString);
        if (members > 0)
        {
            await new FederationGenerator().GenerateAsync(provider, new GeneratorOptions { Members = members }, cancellationToken: cancellationToken);
        }
        else
        {
            await provider.Schema.MigrateAsync(cancellationToken);
        }

        return new PostgresTrackingDatabase(connectionString, provider);
    }

    /// <summary>Runs SQL on a new plain connection, outside the provider, as another application would.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<Guid> AnyAsync(string sql, CancellationToken cancellationToken) => ScalarAsync<Guid>(sql, cancellationToken);

    /// <summary>Opens a snapshot and reads every change of the table since the watermark.</summary>
    public async Task<(long Watermark, List<RowChange> Changes)> ReadChangesAsync(
        TableDescription table, long since, CancellationToken cancellationToken, Guid? scopeRoot = null, Guid? excludedPeer = null, bool tombstonesOnly = false)
    {
        await using var snapshot = await Provider.Changes.OpenSnapshotAsync(cancellationToken);
        var changes = new List<RowChange>();
        await foreach (var change in snapshot.ReadChangesAsync(new ChangeQuery(table, since, scopeRoot, excludedPeer) { TombstonesOnly = tombstonesOnly }, cancellationToken))
        {
            changes.Add(change);
        }

        return (snapshot.Watermark, changes);
    }

    public static string InsertOrganizationSql =>
        "INSERT INTO organizations (id, parent_id, level, name, district_code, status, created_at, updated_at) " +
        "VALUES (@id, NULL, 1, 'race', '110105', 'active', now(), now())";

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
