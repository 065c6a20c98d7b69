using System.Globalization;
using Npgsql;
using UnionSync.Testing.Postgres;

namespace UnionSync.Benchmarks;

/// <summary>
/// The PostgreSQL server the benchmark writes to: the one named, else a throw-away local cluster. Databases it creates
/// are named <c>PREFIX</c><c>purpose_pid_n</c> and dropped.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The prefix of the databases the benchmark creates unless told otherwise (<c>--db-prefix</c>).</summary>
    public const string DefaultDatabasePrefix = "unionsync_bench_";

    private readonly LocalPostgresCluster? _cluster;
    private readonly string _adminConnectionString;
    private readonly string _databasePrefix;
    private readonly List<string> _created = [];

    private PostgresServer(string adminConnectionString, string databasePrefix, LocalPostgresCluster? cluster)
    {
        _adminConnectionString = adminConnectionString;
        _databasePrefix = databasePrefix;
        _cluster = cluster;
    }

    public string Version { get; private set; } = "?";

    /// <summary>A prefix that needs no quoting and leaves room in a 63-byte name: a lower-case letter, then lower-case letters, digits and underscores, 30 at most.</summary>
    public static bool IsValidDatabasePrefix(string prefix) =>
        prefix.Length is >= 1 and <= 30
        && char.IsAsciiLetterLower(prefix[0])
        && prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <param name="connectionString">A database of the server to connect to while creating and dropping others; null: start a throw-away cluster.</param>
    /// <param name="databasePrefix">Prefix of every database created (lower-case letters, digits and underscores).</param>
    public static async Task<PostgresServer> OpenAsync(string? connectionString, string databasePrefix, CancellationToken cancellationToken)
    {
        var cluster = connectionString is null ? await LocalPostgresCluster.StartAsync(cancellationToken) : null;
        var server = new PostgresServer(connectionString ?? cluster!.ConnectionString, databasePrefix, cluster);
        await using var connection = new NpgsqlConnection(server._adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        server.Version = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return server;
    }

    public async Task<string> CreateDatabaseAsync(string purpose, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{_databasePrefix}{purpose}_{Environment.ProcessId}_{_created.Count}");
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}; ", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _created.Add(name);
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A new database holding a copy of <paramref name="sourceConnectionString"/>'s, made by the server from it as a template (no session may be connected to it).</summary>
    public async Task<string> CopyDatabaseAsync(string purpose, string sourceConnectionString, CancellationToken cancellationToken)
    {
        var source = new NpgsqlConnectionStringBuilder(sourceConnectionString).Database
            ?? throw new ArgumentException("The source connection string names no database.", nameof(sourceConnectionString));
        var name = string.Create(CultureInfo.InvariantCulture, $"{_databasePrefix}{purpose}_{Environment.ProcessId}_{_created.Count}");

        // A template must have no sessions: close the idle pooled connections to it (the engine's data sources close theirs).
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);

            // FILE_COPY (PostgreSQL 15+) copies the files after a checkpoint instead of logging every block.
            var strategy = connection.PostgreSqlVersion.Major >= 15 ? " STRATEGY FILE_COPY" : string.Empty;
            command.CommandText = $"CREATE DATABASE {name} TEMPLATE {source}{strategy}";
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _created.Add(name);
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            foreach (var name in _created)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        finally
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
    }
}
