using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing;

namespace UnionSync.Providers.Tests.Sqlite;

/// <summary>What is particular to SQLite: the stored forms a person with sqlite3 sees and writes, and the connection defaults.</summary>
[Trait("db", "sqlite")]
public sealed class A_sqlite_database : IAsyncDisposable
{
    private const string ValidOrganization =
        "'0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9d0e', NULL, 1, '总工会', NULL, '110000', 'active', '2026-01-01T08:30:00Z', '2026-01-01T08:30:00.123456Z'";

    private readonly TempSqliteDatabase _database = new("sqlite-specific");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task stores_the_forms_that_sqlite3_shows()
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);
        await using (var load = await provider.BulkLoader.BeginAsync(Token))
        {
            foreach (var (table, rows) in SampleRows.All())
            {
                await using var writer = await load.OpenTableAsync(table, Token);
                foreach (var row in rows)
                {
                    await writer.WriteAsync(row, Token);
                }

                await writer.CompleteAsync(Token);
            }

            await load.CommitAsync(Token);
        }

        // A raw connection, as sqlite3 would open the file.
        await using var connection = new SqliteConnection($"Data Source={_database.FilePath}");
        await connection.OpenAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT typeof(id), id, organization_id, id_number, typeof(phone), join_date, migrant_worker, typeof(migrant_worker), " +
            "typeof(skill_level), created_at, updated_at FROM members WHERE id_number = '11010519491231002X'";
        await using var reader = await command.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token));

        Assert.Equal("text", reader.GetString(0));
        Assert.Equal("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9e01", reader.GetString(1));
        Assert.Equal("f47ac10b-58cc-4372-a567-0e02b2c3d479", reader.GetString(2));
        Assert.Equal("11010519491231002X", reader.GetString(3));
        Assert.Equal("text", reader.GetString(4));
        Assert.Equal("2025-05-05", reader.GetString(5));
        Assert.Equal(1L, reader.GetInt64(6));
        Assert.Equal("integer", reader.GetString(7));
        Assert.Equal("integer", reader.GetString(8));
        Assert.Equal("2026-01-01T08:30:00Z", reader.GetString(9));
        Assert.Equal("2026-01-01T08:30:00.123456Z", reader.GetString(10));
    }

    [Fact]
    public async Task accepts_a_row_typed_by_hand_in_the_stored_forms()
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);
        await using var command = provider.DataSource.CreateCommand($"INSERT INTO organizations VALUES ({ValidOrganization})");
        await command.ExecuteNonQueryAsync(Token);

        var row = Assert.Single(await ToListAsync(SqliteRowReader.ReadAllAsync(provider.DataSource, SyncTables.Organizations, Token)));

        Assert.Equal(Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9d0e"), row[0]);
        Assert.Equal(new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Utc).AddTicks(1_234_560), row[8]);
    }

    [Theory]
    [InlineData("id", "'0190F5A2-7C1E-7D3A-9B4E-5F6A7B8C9D0E'")]
    [InlineData("id", "'0190f5a27c1e7d3a9b4e5f6a7b8c9d0e'")]
    [InlineData("level", "5")]
    [InlineData("level", "'one'")]
    [InlineData("status", "'Active'")]
    [InlineData("credit_code", "'91110105MA01ABCD2'")]
    [InlineData("created_at", "'2026-01-01 08:30:00'")]
    [InlineData("created_at", "'2026-02-30T08:30:00Z'")]
    [InlineData("created_at", "'2026-01-01T08:30:00.123Z'")]
    [InlineData("created_at", "'2026-01-01T08:30:00+08:00'")]
    public async Task refuses_garbage_written_by_hand(string column, string value)
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);
        var values = ValidOrganization.Split(", ");
        values[SyncTables.Organizations.IndexOf(column)] = value;

        var error = await Assert.ThrowsAsync<SqliteException>(async () =>
        {
            await using var command = provider.DataSource.CreateCommand($"INSERT INTO organizations VALUES ({string.Join(", ", values)})");
            await command.ExecuteNonQueryAsync(Token);
        });

        Assert.Equal(ProviderErrorKind.CheckViolation, SqliteErrorTranslator.Translate(error, "organizations").Kind);
    }

    [Fact]
    public async Task refuses_an_impossible_date_and_a_card_that_expires_before_it_is_issued()
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);
        await using (var insert = provider.DataSource.CreateCommand($"INSERT INTO organizations VALUES ({ValidOrganization})"))
        {
            await insert.ExecuteNonQueryAsync(Token);
        }

        const string Member = "'0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9e01', '0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9d0e', '张伟', '11010519491231002X', NULL, NULL, " +
            "'{0}', 'active', 0, 1, '2026-01-01T08:30:00Z', '2026-01-01T08:30:00Z'";
        await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(provider, "INSERT INTO members VALUES (" + Member.Replace("{0}", "2025-02-29", StringComparison.Ordinal) + ")"));
        await ExecuteAsync(provider, "INSERT INTO members VALUES (" + Member.Replace("{0}", "2024-02-29", StringComparison.Ordinal) + ")");

        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(
            provider,
            "INSERT INTO service_cards VALUES ('0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9f01', '0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9e01', '1', '银行', " +
            "'2025-05-05', '2025-05-05', 'active', '2026-01-01T08:30:00Z', '2026-01-01T08:30:00Z')"));
        Assert.Contains("ck_service_cards_validity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task opens_connections_with_foreign_keys_wal_and_a_busy_timeout()
    {
        await using var provider = _database.CreateProvider();

        await using var connection = provider.DataSource.CreateConnection();
        await connection.OpenAsync(Token);

        Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys"));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal(30_000L, await ScalarAsync(connection, "PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task creates_the_directory_of_its_file()
    {
        var directory = Path.Combine(Path.GetTempPath(), "unionsync-tests", $"dir-{Guid.NewGuid():N}", "nested");
        try
        {
            await using var provider = new SqliteProviderFactory().Create($"Data Source={Path.Combine(directory, "node.db")}");
            await provider.Schema.MigrateAsync(Token);

            Assert.True(File.Exists(Path.Combine(directory, "node.db")));
            Assert.Equal($"sqlite {Path.Combine(directory, "node.db")}", provider.Describe());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("Data Source=")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=x.db;Bogus=1")]
    [InlineData("Data Source=x.db;Foreign Keys=False")]
    public void refuses_a_bad_connection_string_with_a_configuration_error(string connectionString)
    {
        var error = Assert.Throws<SyncConfigurationException>(() => new SqliteProviderFactory().Create(connectionString + ";Password=hunter2"));

        Assert.Contains("sqlite connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task serialises_a_load_behind_another_writer_instead_of_failing()
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);
        await using var first = await provider.BulkLoader.BeginAsync(Token);

        var second = Task.Run(() => provider.BulkLoader.BeginAsync(Token), Token);
        var winner = await Task.WhenAny(second, Task.Delay(300, Token));
        Assert.NotSame(second, winner);

        await first.DisposeAsync();
        await using var load = await second;
        await load.CommitAsync(Token);
    }

    [Fact]
    public async Task loads_empty_tables_without_their_indexes_and_builds_them_after_in_the_same_definitions()
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);
        await ExecuteAsync(provider, "CREATE INDEX ix_members_phone_partial ON members (phone) WHERE phone IS NOT NULL");
        var before = await IndexesAsync(provider);

        await using (var load = await provider.BulkLoader.BeginCopyAsync(Token))
        {
            foreach (var (table, rows) in SampleRows.All())
            {
                await using var writer = await load.OpenTableAsync(table, Token);
                if (table == SyncTables.Members)
                {
                    // Mid-load, the table's own indexes are gone (its rows go into the table alone), and with no other
                    // connection open the file is on a rollback journal, so that its pages are written once.
                    Assert.DoesNotContain(await IndexesAsync(load), i => i.StartsWith("ix_members_", StringComparison.Ordinal) || i.StartsWith("ux_members_", StringComparison.Ordinal));
                    Assert.Equal("delete", await ScalarAsync(((UnionSync.Providers.Sqlite.Bulk.SqliteBulkLoadTransaction)load).Session.Connection, "PRAGMA journal_mode"));
                }

                foreach (var row in rows)
                {
                    await writer.WriteAsync(row, Token);
                }

                await writer.CompleteAsync(Token);
            }

            await load.CommitAsync(Token);
        }

        Assert.Equal(before, await IndexesAsync(provider));
        await using var connection = provider.DataSource.CreateConnection();
        await connection.OpenAsync(Token);
        Assert.Equal("ok", await ScalarAsync(connection, "PRAGMA integrity_check"));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task keeps_the_indexes_of_a_table_that_already_holds_rows()
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);
        await LoadAsync(provider, SyncTables.Organizations, SampleRows.Organizations()[..1]);

        await using var load = await provider.BulkLoader.BeginAsync(Token);
        await using var writer = await load.OpenTableAsync(SyncTables.Organizations, Token);

        Assert.Contains(await IndexesAsync(load), i => i.StartsWith("ix_organizations_parent_id:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_duplicate_found_as_an_index_is_built_rolls_the_load_back_with_its_indexes()
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);
        var before = await IndexesAsync(provider);
        var twin = SampleRows.Members()[1];
        twin[SyncTables.Members.IndexOf("id_number")] = SampleRows.IdNumberWithX;

        await using (var load = await provider.BulkLoader.BeginCopyAsync(Token))
        {
            await using (var organizations = await load.OpenTableAsync(SyncTables.Organizations, Token))
            {
                foreach (var row in SampleRows.Organizations())
                {
                    await organizations.WriteAsync(row, Token);
                }

                await organizations.CompleteAsync(Token);
            }

            await using var members = await load.OpenTableAsync(SyncTables.Members, Token);
            await members.WriteAsync(SampleRows.Members()[0], Token);
            await members.WriteAsync(twin, Token);

            var error = await Assert.ThrowsAsync<ProviderException>(() => members.CompleteAsync(Token));
            Assert.Equal(ProviderErrorKind.UniqueViolation, error.Kind);
            Assert.Contains("members", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(SampleRows.IdNumberWithX, error.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await IndexesAsync(provider));
        Assert.Equal(0L, await CountAsync(provider, "members"));
        Assert.Equal(0L, await CountAsync(provider, "organizations"));
    }

    [Fact]
    public async Task loads_in_wal_while_another_connection_reads_the_file()
    {
        await using var provider = _database.CreateProvider();
        await provider.Schema.MigrateAsync(Token);

        // Another process's reader, in the middle of a read transaction.
        await using var reader = new SqliteConnection($"Data Source={_database.FilePath}");
        await reader.OpenAsync(Token);
        await using var read = reader.BeginTransaction(deferred: true);
        Assert.Equal(0L, await ScalarAsync(reader, "SELECT COUNT(*) FROM organizations"));

        await LoadAsync(provider, SyncTables.Organizations, SampleRows.Organizations());

        Assert.Equal(0L, await ScalarAsync(reader, "SELECT COUNT(*) FROM organizations"));
        await read.CommitAsync(Token);
        Assert.Equal(3L, await ScalarAsync(reader, "SELECT COUNT(*) FROM organizations"));
        Assert.Equal("wal", await ScalarAsync(reader, "PRAGMA journal_mode"));
    }

    [Theory]
    [InlineData(0L, "2026-01-01T08:30:00Z")]
    [InlineData(1_234_560L, "2026-01-01T08:30:00.123456Z")]
    [InlineData(1_234_567L, "2026-01-01T08:30:00.123456Z")]
    [InlineData(10L, "2026-01-01T08:30:00.000001Z")]
    public void formats_timestamps_in_utc_with_microseconds_only_when_there_are_some(long ticks, string expected)
    {
        var value = new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Utc).AddTicks(ticks);

        Assert.Equal(expected, SqliteStoredForm.FormatTimestamp(value));
        Assert.Equal(SqliteStoredForm.TruncateToMicroseconds(value), SqliteStoredForm.ParseTimestamp(expected));
        Assert.Equal(DateTimeKind.Utc, SqliteStoredForm.ParseTimestamp(expected).Kind);
    }

    private static async Task ExecuteAsync(IDatabaseProvider provider, string sql)
    {
        await using var command = provider.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }

    private static async Task LoadAsync(IDatabaseProvider provider, TableDescription table, IEnumerable<object?[]> rows)
    {
        await using var load = await provider.BulkLoader.BeginAsync(Token);
        await using (var writer = await load.OpenTableAsync(table, Token))
        {
            foreach (var row in rows)
            {
                await writer.WriteAsync(row, Token);
            }

            await writer.CompleteAsync(Token);
        }

        await load.CommitAsync(Token);
    }

    /// <summary>The file's own indexes (name and definition), as a new connection sees them.</summary>
    private static async Task<List<string>> IndexesAsync(IDatabaseProvider provider)
    {
        await using var connection = provider.DataSource.CreateConnection();
        await connection.OpenAsync(Token);
        return await IndexesAsync(connection, transaction: null);
    }

    /// <summary>The indexes as the load's own transaction sees them.</summary>
    private static Task<List<string>> IndexesAsync(IBulkLoadTransaction load)
    {
        var (connection, transaction) = ((UnionSync.Providers.Sqlite.Bulk.SqliteBulkLoadTransaction)load).Session;
        return IndexesAsync(connection, transaction);
    }

    private static async Task<List<string>> IndexesAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name";
        var indexes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            indexes.Add(reader.GetString(0));
        }

        return indexes;
    }

    private static async Task<long> CountAsync(IDatabaseProvider provider, string table)
    {
        await using var command = provider.DataSource.CreateCommand($"SELECT COUNT(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Token);
    }

    private static async Task<List<object?[]>> ToListAsync(IAsyncEnumerable<object?[]> rows)
    {
        var list = new List<object?[]>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }
}
