using Npgsql;

namespace UnionSync.Sync.Tests.Support;

/// <summary>
/// A PostgreSQL database this test made for itself (empty, or a byte copy of a template database through
/// <c>CREATE DATABASE … TEMPLATE</c>); disposing it drops it. Its name follows the fixture's <c>unionsync_test_*</c> pattern.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private PostgresDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The server's maintenance database <c>postgres</c>, reached with the credentials of <paramref name="anyDatabase"/>.</summary>
    public static string AdminConnectionString(string anyDatabase) =>
        new NpgsqlConnectionStringBuilder(anyDatabase) { Database = "postgres", Pooling = false }.ConnectionString;

    /// <summary>
    /// Creates a database; with <paramref name="template"/> a copy of that database, which must have no open
    /// connections (its pools cleared).
    /// </summary>
    public static async Task<PostgresDatabase> CreateAsync(string adminConnectionString, string? template, CancellationToken cancellationToken)
    {
        var database = new PostgresDatabase(adminConnectionString, $"unionsync_test_{Guid.NewGuid():N}");
        var from = template is null ? string.Empty : $" TEMPLATE \"{template}\"";
        await database.AdminAsync($"CREATE DATABASE \"{database.Name}\"{from}", cancellationToken);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await AdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", CancellationToken.None);
    }

    private async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
