using System.Data.Common;
using System.Globalization;
using UnionSync.Providers.Sqlite;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Testing;

namespace UnionSync.Sync.Tests.Support;

/// <summary>
/// One database taking part in a test: its provider (handed to the engine) and plain SQL on connections of its own,
/// for writes "behind the engine's back" as another application or a person with sqlite3/psql would make them.
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owner;

    private TestNode(string name, ISyncProvider provider, bool textUuids, IAsyncDisposable? owner)
    {
        FilePath = (owner as TempSqliteDatabase)?.FilePath ?? string.Empty;
        Name = name;
        Provider = provider;
        TextUuids = textUuids;
        _owner = owner;
    }

    public string Name { get; }

    /// <summary>The SQLite file; empty for other providers.</summary>
    public string FilePath { get; }

    public ISyncProvider Provider { get; }

    /// <summary>SQLite keeps UUIDs as text; PostgreSQL as uuid.</summary>
    public bool TextUuids { get; }

    public static TestNode Sqlite(string name)
    {
        var database = new TempSqliteDatabase(name);
        var provider = database.CreateProvider() as ISyncProvider
            ?? throw new SyncConfigurationException("The SQLite provider does not implement ISyncProvider yet.");
        return new TestNode(name, provider, textUuids: true, database);
    }

    /// <summary>A SQLite node whose provider keeps its peer, conflict and purge times by <paramref name="clock"/>.</summary>
    public static TestNode Sqlite(string name, TimeProvider clock)
    {
        var database = new TempSqliteDatabase(name);
        return new TestNode(name, new SqliteProviderFactory(clock).CreateSync(database.ConnectionString), textUuids: true, database);
    }

    public static TestNode Postgres(string name, IDatabaseProvider provider) => Postgres(name, provider, null);

    /// <summary>A PostgreSQL node; disposing it disposes the provider and then <paramref name="owner"/> (e.g. drops the database).</summary>
    public static TestNode Postgres(string name, IDatabaseProvider provider, IAsyncDisposable? owner) =>
        new(name, provider as ISyncProvider ?? throw new SyncConfigurationException("The PostgreSQL provider does not implement ISyncProvider yet."), textUuids: false, owner);

    public object Id(Guid value) => TextUuids ? value.ToString("D") : value;

    public static Guid ReadId(object value) => value is Guid g ? g : Guid.Parse((string)value, CultureInfo.InvariantCulture);

    /// <summary>
    /// The local writes made so far become tracking rows, as before a sync: SQLite logs them and folds its change log
    /// into the tracking rows when a snapshot is taken; PostgreSQL tracks at once.
    /// </summary>
    public async Task SettleAsync()
    {
        await using var snapshot = await Provider.Changes.OpenSnapshotAsync(TestContext.Current.CancellationToken);
    }

    public async Task<int> ExecAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Provider.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Provider.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is DBNull ? null : value;
    }

    public async Task<long> CountAsync(string sql, params (string Name, object? Value)[] parameters) =>
        Convert.ToInt64(await ScalarAsync(sql, parameters), CultureInfo.InvariantCulture);

    public async Task<List<object?[]>> QueryAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Provider.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<List<Guid>> IdsAsync(string sql, params (string Name, object? Value)[] parameters) =>
        [.. (await QueryAsync(sql, parameters)).Select(r => ReadId(r[0]!))];

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }
    }

    public override string ToString() => Name;

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
