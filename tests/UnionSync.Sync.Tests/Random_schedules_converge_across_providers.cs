using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Npgsql;
using UnionSync.Providers.Postgres;
using UnionSync.Seeding;
using UnionSync.Sync.Tests.Support;
using UnionSync.Testing.Postgres;

namespace UnionSync.Sync.Tests;

/// <summary>
/// The property of <see cref="Random_schedules_converge"/> on mixed providers: the city and the first district on
/// PostgreSQL, the second district and the four grassroots nodes on SQLite. The same random schedules (plain-SQL
/// inserts, renames, transfers within and across districts, deletes, card issue and loss on every node, random syncs),
/// then a quiescent pass leaves up and then top-down; the same assertions: every replica equals its scope, foreign keys
/// hold, no identity is applied twice, every detected conflict is in a log. The city is generated once into a template
/// database; each schedule's city is <c>CREATE DATABASE … TEMPLATE</c> of it and its PostgreSQL databases are dropped
/// after it. UNIONSYNC_PG_SCHEDULES sets the number of schedules; UNIONSYNC_SEED replays a printed seed.
/// </summary>
[Trait("db", "postgres")]
public sealed class Random_schedules_converge_across_providers(PostgresServerFixture server) : IAsyncLifetime
{
    private const int DefaultSchedules = 30;

    private string? _admin;
    private string? _template;

    public async ValueTask InitializeAsync()
    {
        server.EnsureAvailable();
        var cancellationToken = TestContext.Current.CancellationToken;
        var connectionString = await server.CreateDatabaseAsync(cancellationToken);
        var provider = new PostgresProviderFactory().Create(connectionString);
        await using (provider)
        {
            await new FederationGenerator().GenerateAsync(provider, new GeneratorOptions { Members = 800, Seed = 21 }, null, cancellationToken);
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        _admin = PostgresDatabase.AdminConnectionString(connectionString);
        _template = new NpgsqlConnectionStringBuilder(connectionString).Database;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task every_replica_on_postgres_or_sqlite_equals_its_scope_after_random_writes_and_syncs()
    {
        var schedules = int.TryParse(Environment.GetEnvironmentVariable("UNIONSYNC_PG_SCHEDULES"), CultureInfo.InvariantCulture, out var n) ? n : DefaultSchedules;
        var seed = Environment.GetEnvironmentVariable("UNIONSYNC_SEED");
        var clock = Stopwatch.StartNew();
        await Random_schedules_converge.Schedules.SampleAsync(
            RunScheduleAsync,
            writeLine: line => TestContext.Current.SendDiagnosticMessage(line),
            seed: seed,
            iter: schedules,
            threads: 1,
            print: ops => string.Join(" ", ops.Select(o => o.ToString())));
        TestContext.Current.SendDiagnosticMessage(string.Create(
            CultureInfo.InvariantCulture, $"{schedules} schedules across PostgreSQL and SQLite in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private async Task RunScheduleAsync(Random_schedules_converge.Operation[] operations)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var factory = new PostgresProviderFactory();
        var cityDatabase = await PostgresDatabase.CreateAsync(_admin!, _template, cancellationToken);
        var city = TestNode.Postgres("pg-city", factory.Create(cityDatabase.ConnectionString), cityDatabase);
        TestNode district;
        try
        {
            var districtDatabase = await PostgresDatabase.CreateAsync(_admin!, null, cancellationToken);
            district = TestNode.Postgres("pg-d1", factory.Create(districtDatabase.ConnectionString), districtDatabase);
        }
        catch
        {
            await city.DisposeAsync();
            throw;
        }

        await using var topology = await Topology.LoadAsync(city, district);
        foreach (var operation in operations)
        {
            await operation.RunAsync(topology);
        }

        await topology.QuiescentPassAsync();
        await Harness.AssertQuiescentTopologyAsync(topology);
    }
}
