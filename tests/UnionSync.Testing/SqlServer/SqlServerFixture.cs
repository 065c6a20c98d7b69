using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;
using Xunit;

namespace UnionSync.Testing.SqlServer;

/// <summary>
/// One SQL Server per test run (an xUnit assembly fixture): the server named by <c>UNIONSYNC_MSSQL</c> (a connection
/// string whose login may create databases), else a Testcontainers.MsSql container where a Docker engine answers, else
/// none, and the tests that need it are skipped with the reason. Detection takes at most a couple of seconds; the
/// container starts only when a test first asks for a database.
/// </summary>
public sealed class SqlServerFixture : IAsyncLifetime
{
    public const string ConnectionStringVariable = "UNIONSYNC_MSSQL";

    public const string Image = "mcr.microsoft.com/mssql/server:2022-latest";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<string> _databases = [];
    private string? _serverConnectionString;
    private MsSqlContainer? _container;
    private bool _useDocker;

    /// <summary>Why no SQL Server can run here; null when one can.</summary>
    public string? UnavailableReason { get; private set; } = "The SQL Server fixture has not been initialised.";

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _serverConnectionString = configured;
            UnavailableReason = null;
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var whyNoDocker = await DockerProbe.WhyUnavailableAsync(timeout.Token).ConfigureAwait(false);
        if (whyNoDocker is null)
        {
            _useDocker = true;
            UnavailableReason = null;
            return;
        }

        UnavailableReason =
            $"SQL Server is not available: {ConnectionStringVariable} is not set and {whyNoDocker}. Set {ConnectionStringVariable} to a " +
            "connection string (e.g. Server=127.0.0.1,1433;User Id=sa;Password=...;TrustServerCertificate=true) or run a Docker engine.";
    }

    /// <summary>Skips the calling test, with the reason, where no SQL Server can run.</summary>
    public void EnsureAvailable()
    {
        if (UnavailableReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    /// <summary>Creates a new, empty database with a unique name; returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        EnsureAvailable();
        var server = await GetServerAsync(cancellationToken).ConfigureAwait(false);
        var name = "unionsync_test_" + Guid.NewGuid().ToString("N")[..16];

        var admin = new SqlConnectionStringBuilder(server) { InitialCatalog = "master" };
        await using (var connection = new SqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new SqlCommand($"CREATE DATABASE [{name}];", connection) { CommandTimeout = 120 };
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
        else if (_serverConnectionString is not null)
        {
            await DropDatabasesAsync(_serverConnectionString).ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<string> GetServerAsync(CancellationToken cancellationToken)
    {
        if (_serverConnectionString is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_serverConnectionString is null && _useDocker)
            {
                var container = new MsSqlBuilder(Image).Build();
                try
                {
                    await container.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    await container.DisposeAsync().ConfigureAwait(false);
                    _useDocker = false;
                    UnavailableReason =
                        $"SQL Server is not available: {ConnectionStringVariable} is not set and the Docker engine answered, but the container " +
                        $"{Image} did not start ({exception.GetType().Name}: {exception.Message}).";
                }

                if (_useDocker)
                {
                    _container = container;
                    _serverConnectionString = container.GetConnectionString();
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        EnsureAvailable();
        return _serverConnectionString!;
    }

    private async Task DropDatabasesAsync(string server)
    {
        string[] names;
        lock (_databases)
        {
            names = [.. _databases];
        }

        if (names.Length == 0)
        {
            return;
        }

        SqlConnection.ClearAllPools();
        var admin = new SqlConnectionStringBuilder(server) { InitialCatalog = "master" };
        await using var connection = new SqlConnection(admin.ConnectionString);
        await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var name in names)
        {
            try
            {
                await using var command = new SqlCommand(
                    $"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}];", connection);
                await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (SqlException)
            {
                // A database left behind on a shared server is named unionsync_test_*; it does not fail the run.
            }
        }
    }
}
