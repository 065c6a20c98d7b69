using Npgsql;
using UnionSync.Providers.Postgres;
using UnionSync.Sync.Errors;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres;

/// <summary>What is particular to PostgreSQL: column types and connection strings.</summary>
[Trait("db", "postgres")]
public sealed class A_postgres_database(PostgresServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task keeps_identity_numbers_and_codes_in_char_18_columns()
    {
        server.EnsureAvailable();
        await using var provider = new PostgresProviderFactory().Create(await server.CreateDatabaseAsync(Token));
        await provider.Schema.MigrateAsync(Token);

        await using var command = provider.DataSource.CreateCommand(
            "SELECT table_name || '.' || column_name, data_type, character_maximum_length FROM information_schema.columns " +
            "WHERE column_name IN ('id_number', 'credit_code', 'employer_code') ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var columns = new List<(string, string, int)>();
        while (await reader.ReadAsync(Token))
        {
            columns.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        Assert.Equal(
            [("members.employer_code", "character", 18), ("members.id_number", "character", 18), ("organizations.credit_code", "character", 18)],
            columns);
    }

    [Fact]
    public async Task takes_the_migration_lock_inside_the_migration_transaction()
    {
        server.EnsureAvailable();
        var connectionString = await server.CreateDatabaseAsync(Token);
        await using var provider = new PostgresProviderFactory().Create(connectionString);
        await provider.Schema.MigrateAsync(Token);

        // Hold the migrators' advisory lock: a migrator must wait for it, not read the versions around it.
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync(Token);
        await using var transaction = await holder.BeginTransactionAsync(Token);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(6155973667975297390)", holder, transaction))
        {
            await take.ExecuteNonQueryAsync(Token);
        }

        var migrate = provider.Schema.MigrateAsync(Token);
        var first = await Task.WhenAny(migrate, Task.Delay(500, Token));
        Assert.NotSame(migrate, first);

        await transaction.RollbackAsync(Token);
        Assert.Empty(await migrate);
    }

    [Theory]
    [InlineData("Bogus=1;Host=localhost")]
    [InlineData("Port=5432;Database=city")]
    [InlineData("Host=localhost;Port=notanumber")]
    public void refuses_a_bad_connection_string_with_a_configuration_error(string connectionString)
    {
        var error = Assert.Throws<SyncConfigurationException>(() => new PostgresProviderFactory().Create(connectionString + ";Password=hunter2"));

        Assert.Contains("postgres connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task describes_itself_without_the_password()
    {
        await using var provider = new PostgresProviderFactory().Create("Host=db.example;Port=5433;Username=u;Password=hunter2;Database=city");

        Assert.Equal("postgres", provider.Name);
        Assert.IsAssignableFrom<NpgsqlDataSource>(provider.DataSource);
        Assert.Equal("postgres db.example:5433/city", provider.Describe());
    }
}
