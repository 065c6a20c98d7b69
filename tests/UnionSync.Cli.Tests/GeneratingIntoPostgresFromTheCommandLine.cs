using System.Text.Json;
using Npgsql;
using UnionSync.Testing.Postgres;

namespace UnionSync.Cli.Tests;

[Trait("db", "postgres")]
public sealed class GeneratingIntoPostgresFromTheCommandLine(PostgresServerFixture server)
{
    [Fact]
    public async Task writes_the_federation_through_copy_and_exits_0()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        var connectionString = await server.CreateDatabaseAsync(cancellationToken);

        var run = await CliRun.RunAsync(cancellationToken, "generate", "--db", "postgres:" + connectionString, "--members", "2000", "--seed", "5", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("postgres", json.RootElement.GetProperty("database").GetString());
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT (SELECT COUNT(*) FROM organizations), (SELECT COUNT(*) FROM members), (SELECT COUNT(*) FROM service_cards)", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Assert.True(await reader.ReadAsync(cancellationToken));
        var (organizations, cards) = GeneratingFromTheCommandLine.FederationCounts(2_000, 5);
        Assert.Equal(organizations, reader.GetInt64(0));
        Assert.Equal(2_000, reader.GetInt64(1));
        Assert.Equal(cards, reader.GetInt64(2));
    }
}
