using UnionSync.Testing.Postgres;

namespace UnionSync.Hub.Tests;

/// <summary>A hub on a fresh database of the run's PostgreSQL server; skips when there is none.</summary>
public sealed class PostgresHubFixture(PostgresServerFixture server) : HubFixture
{
    protected override async Task<(string Provider, string ConnectionString)> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        server.EnsureAvailable();
        return ("postgres", await server.CreateDatabaseAsync(cancellationToken));
    }
}
