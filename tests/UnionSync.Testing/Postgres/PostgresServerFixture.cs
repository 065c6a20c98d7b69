using Npgsql;
using Xunit;
using Testcontainers.PostgreSql;

namespace UnionSync.Testing.Postgres;

/// <summary>
/// One PostgreSQL server per test run (an xunit v3 assembly fixture:
/// <c>[assembly: AssemblyFixture(typeof(PostgresServerFixture))]</c>). It uses, in this order: the server of the
/// <c>UNIONSYNC_PG</c> connection string (where it may create databases); a <see cref="LocalPostgresCluster"/> from the
/// local binaries; a Testcontainers PostgreSQL where a Docker engine answers. With none, <see cref="EnsureAvailable"/>
/// skips the test with the reason, except under <c>CI=true</c>, where it fails with it.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public const string ConnectionStringVariable = "UNIONSYNC_PG";

    private readonly List<string> _createdDatabases = [];
    private readonly Lock _lock = new();
    private LocalPostgresCluster? _cluster;
    private PostgreSqlContainer? _container;
    private string? _adminConnectionString;
    private string? _unavailableReason;

    /// <summary>Where the server comes from: the environment variable, the local cluster or a container; null when none.</summary>
    public string? Source { get; private set; }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var reasons = new List<string>();
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            try
            {
                await using var connection = new NpgsqlConnection(configured);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                Use(configured, $"{ConnectionStringVariable} ({connection.Host}:{connection.Port})");
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
            {
                reasons.Add($"{ConnectionStringVariable} is set but its server could not be reached: {ex.Message}");
            }
        }
        else
        {
            if (LocalPostgresCluster.FindBinDirectory() is not null)
            {
                try
                {
                    _cluster = await LocalPostgresCluster.StartAsync(cancellationToken).ConfigureAwait(false);
                    Use(_cluster.ConnectionString, $"local cluster on port {_cluster.Port}");
                    return;
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
                {
                    reasons.Add($"the local PostgreSQL binaries did not start a cluster: {ex.Message}");
                }
            }
            else
            {
                reasons.Add("no PostgreSQL binaries (initdb, postgres) under /usr/lib/postgresql/*/bin or in UNIONSYNC_PG_BIN");
            }

            if (await DockerProbe.AnswersAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    _container = new PostgreSqlBuilder("postgres:15-alpine").Build();
                    await _container.StartAsync(cancellationToken).ConfigureAwait(false);
                    Use(_container.GetConnectionString(), "Testcontainers postgres:15-alpine");
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    reasons.Add($"Testcontainers could not start PostgreSQL: {ex.Message}");
                }
            }
            else
            {
                reasons.Add("no Docker engine answered");
            }
        }

        _unavailableReason =
            $"No PostgreSQL server for these tests: {string.Join("; ", reasons)}. " +
            $"Set {ConnectionStringVariable} to the connection string of a server where the tests may create databases, or install postgresql.";
    }

    /// <summary>Skips the calling test when there is no server (fails it instead under <c>CI=true</c>).</summary>
    public void EnsureAvailable()
    {
        if (_unavailableReason is null)
        {
            return;
        }

        if (IsCi)
        {
            throw new InvalidOperationException($"{_unavailableReason} (CI=true: PostgreSQL tests must run, not be skipped.)");
        }

        Assert.Skip(_unavailableReason);
    }

    /// <summary>Creates a new, empty database with a unique name and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        EnsureAvailable();
        var name = $"unionsync_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is null && _container is null && _adminConnectionString is not null)
        {
            await DropCreatedDatabasesAsync().ConfigureAwait(false);
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Use(string connectionString, string source)
    {
        _adminConnectionString = connectionString;
        Source = source;
    }

    /// <summary>On a server of <c>UNIONSYNC_PG</c>, which outlives the run, the test databases are dropped.</summary>
    private async Task DropCreatedDatabasesAsync()
    {
        string[] names;
        lock (_lock)
        {
            names = [.. _createdDatabases];
        }

        if (names.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            foreach (var name in names)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // Best effort: a database left behind has a recognisable name (unionsync_test_*).
        }
    }
}
