using System.Data.Common;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>
/// The provider conformance suite: every provider must pass these. A provider plugs in with a small subclass that
/// supplies three things:
/// <list type="bullet">
/// <item><see cref="CreateProviderAsync"/>: a provider on a NEW, EMPTY database (not migrated), disposed by the test;</item>
/// <item><see cref="ReadRowsAsync"/>: every row of a table in the CLR types of <see cref="ColumnType"/> (the provider's row reader);</item>
/// <item><see cref="EnsureAvailable"/> (optional): skips the test when the provider's server is missing.</item>
/// </list>
/// Tag the subclass with <c>[Trait("db", "NAME")]</c>. A known divergence is skipped in the subclass with the reason.
/// </summary>
public abstract class ProviderConformanceTests
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A provider on a new, empty database.</summary>
    protected abstract Task<IDatabaseProvider> CreateProviderAsync(CancellationToken cancellationToken);

    /// <summary>Every row of <paramref name="table"/>, values in the table's column order as <see cref="ColumnType"/>'s CLR types.</summary>
    protected abstract IAsyncEnumerable<object?[]> ReadRowsAsync(IDatabaseProvider provider, TableDescription table, CancellationToken cancellationToken);

    /// <summary>Calls <c>Assert.Skip</c> when the provider cannot run here; does nothing by default.</summary>
    protected virtual void EnsureAvailable()
    {
    }

    [Fact]
    public async Task Migrations_apply_on_a_fresh_database_and_are_recorded()
    {
        await using var provider = await NewProviderAsync();

        Assert.Equal(0, await provider.Schema.GetVersionAsync(Token));
        var applied = await provider.Schema.MigrateAsync(Token);

        var expected = provider.Schema.Migrations.Select(m => m.Version).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, applied);
        Assert.Equal(expected[^1], await provider.Schema.GetVersionAsync(Token));
        Assert.Equal(
            provider.Schema.Migrations.Select(m => (m.Version, m.Name)),
            await ReadVersionTableAsync(provider));
        foreach (var table in SyncTables.All)
        {
            Assert.Equal(0L, await CountAsync(provider, table));
        }
    }

    [Fact]
    public async Task A_second_migration_run_applies_nothing()
    {
        await using var provider = await NewProviderAsync();
        await provider.Schema.MigrateAsync(Token);

        var again = await provider.Schema.MigrateAsync(Token);

        Assert.Empty(again);
        Assert.Equal(provider.Schema.Migrations.Count, (await ReadVersionTableAsync(provider)).Count);
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_version_once()
    {
        await using var provider = await NewProviderAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => provider.Schema.MigrateAsync(Token), Token)));

        var all = runs.SelectMany(r => r).OrderBy(v => v).ToArray();
        Assert.Equal(provider.Schema.Migrations.Select(m => m.Version).ToArray(), all);
        Assert.Equal(provider.Schema.Migrations.Count, (await ReadVersionTableAsync(provider)).Count);
    }

    [Fact]
    public async Task A_database_at_a_newer_version_is_refused()
    {
        await using var provider = await NewProviderAsync();
        await provider.Schema.MigrateAsync(Token);
        var future = provider.Schema.Migrations[^1].Version + 1;
        await ExecuteAsync(
            provider,
            $"INSERT INTO {MigrationDialect.VersionTable} (version, name) VALUES (@version, @name)",
            ("@version", future),
            ("@name", "from_the_future"));

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => provider.Schema.MigrateAsync(Token));

        Assert.Contains(future.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_column_round_trips_value_for_value_through_the_bulk_path()
    {
        await using var provider = await MigratedProviderAsync();

        await LoadAsync(provider, SampleRows.All());

        foreach (var (table, rows) in SampleRows.All())
        {
            var read = await ReadAllAsync(provider, table);
            Assert.Equal(rows.Length, read.Count);
            foreach (var written in rows)
            {
                var key = (Guid)written[table.KeyOrdinal]!;
                var back = Assert.Single(read, r => (Guid)r[table.KeyOrdinal]! == key);
                var expected = SampleRows.Expected(written);
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    var column = table.Columns[i];
                    Assert.True(
                        Equals(expected[i], back[i]),
                        $"{table}.{column.Name}: wrote {Describe(expected[i])}, read {Describe(back[i])}");
                    if (back[i] is DateTime timestamp)
                    {
                        Assert.Equal(DateTimeKind.Utc, timestamp.Kind);
                    }

                    if (back[i] is not null)
                    {
                        Assert.Equal(ClrType(column.Type), back[i]!.GetType());
                    }
                }
            }
        }

        var idNumber = (await ReadAllAsync(provider, SyncTables.Members))
            .Select(r => (string)r[SyncTables.Members.IndexOf("id_number")]!)
            .Single(n => n.EndsWith('X'));
        Assert.Equal(SampleRows.IdNumberWithX, idNumber);
        Assert.Equal(18, idNumber.Length);
    }

    [Fact]
    public async Task Disposing_a_load_without_commit_leaves_no_rows()
    {
        await using var provider = await MigratedProviderAsync();

        await using (var load = await provider.BulkLoader.BeginAsync(Token))
        {
            foreach (var (table, rows) in SampleRows.All())
            {
                await using var writer = await load.OpenTableAsync(table, Token);
                foreach (var row in rows)
                {
                    await writer.WriteAsync(row, Token);
                }

                Assert.Equal(rows.Length, await writer.CompleteAsync(Token));
            }
        }

        foreach (var table in SyncTables.All)
        {
            Assert.Equal(0L, await CountAsync(provider, table));
        }
    }

    [Fact]
    public async Task Disposing_a_table_writer_without_completing_it_drops_only_that_tables_rows()
    {
        await using var provider = await MigratedProviderAsync();

        await using (var load = await provider.BulkLoader.BeginAsync(Token))
        {
            await using (var organizations = await load.OpenTableAsync(SyncTables.Organizations, Token))
            {
                foreach (var row in SampleRows.Organizations())
                {
                    await organizations.WriteAsync(row, Token);
                }

                await organizations.CompleteAsync(Token);
            }

            await using (var members = await load.OpenTableAsync(SyncTables.Members, Token))
            {
                foreach (var row in SampleRows.Members())
                {
                    await members.WriteAsync(row, Token);
                }
            }

            await load.CommitAsync(Token);
        }

        Assert.Equal(3L, await CountAsync(provider, SyncTables.Organizations));
        Assert.Equal(0L, await CountAsync(provider, SyncTables.Members));
    }

    [Fact]
    public async Task A_duplicate_id_number_becomes_a_unique_violation_that_does_not_show_the_number()
    {
        await using var provider = await MigratedProviderAsync();
        await LoadAsync(provider, [(SyncTables.Organizations, SampleRows.Organizations())]);

        var error = await Assert.ThrowsAsync<ProviderException>(() => LoadAsync(
            provider,
            [(SyncTables.Members, [
                SampleRows.Member(Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-000000000001"), SampleRows.Grassroots, SampleRows.IdNumberWithX),
                SampleRows.Member(Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-000000000002"), SampleRows.Grassroots, SampleRows.IdNumberWithX),
            ])]));

        Assert.Equal(ProviderErrorKind.UniqueViolation, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("members", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SampleRows.IdNumberWithX, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync(provider, SyncTables.Members));
    }

    [Fact]
    public async Task A_card_for_a_missing_member_becomes_a_foreign_key_violation()
    {
        await using var provider = await MigratedProviderAsync();
        await LoadAsync(provider, [(SyncTables.Organizations, SampleRows.Organizations())]);

        var error = await Assert.ThrowsAsync<ProviderException>(() => LoadAsync(
            provider,
            [(SyncTables.ServiceCards, [SampleRows.ServiceCards()[0]])]));

        Assert.Equal(ProviderErrorKind.ForeignKeyViolation, error.Kind);
        Assert.Contains("service_cards", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync(provider, SyncTables.ServiceCards));
    }

    [Fact]
    public async Task A_timestamp_that_is_not_utc_is_refused()
    {
        await using var provider = await MigratedProviderAsync();
        var row = SampleRows.Organizations()[0];
        row[SyncTables.Organizations.IndexOf("created_at")] = new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Unspecified);

        await Assert.ThrowsAsync<ArgumentException>(() => LoadAsync(provider, [(SyncTables.Organizations, [row])]));

        Assert.Equal(0L, await CountAsync(provider, SyncTables.Organizations));
    }

    [Fact]
    public async Task A_bulk_load_of_many_members_through_one_reused_row_array_keeps_every_row()
    {
        const int Count = 100_000;
        await using var provider = await MigratedProviderAsync();
        await LoadAsync(provider, [(SyncTables.Organizations, SampleRows.Organizations())]);
        var row = new object?[SyncTables.Members.Columns.Count];
        var template = SampleRows.Member(Guid.Empty, SampleRows.Grassroots, SampleRows.IdNumberWithX);

        await using (var load = await provider.BulkLoader.BeginAsync(Token))
        {
            await using var writer = await load.OpenTableAsync(SyncTables.Members, Token);
            for (var i = 0; i < Count; i++)
            {
                template.CopyTo(row, 0);
                row[0] = new Guid(i + 1, 0x7c1e, 0x7d3a, 0x9b, 0x4e, 0x5f, 0x6a, 0x7b, 0x8c, 0x9d, 0x0e);
                row[3] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i:D17}X");
                await writer.WriteAsync(row, Token);
            }

            Assert.Equal(Count, await writer.CompleteAsync(Token));
            await load.CommitAsync(Token);
        }

        // Throughput is the benchmark program's business (tests/UnionSync.Benchmarks); here only that nothing is lost.
        Assert.Equal((long)Count, await CountAsync(provider, SyncTables.Members));
        var idNumbers = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var stored in ReadRowsAsync(provider, SyncTables.Members, Token))
        {
            idNumbers.Add((string)stored[3]!);
        }

        Assert.Equal(Count, idNumbers.Count);
    }

    protected async Task<IDatabaseProvider> NewProviderAsync()
    {
        EnsureAvailable();
        return await CreateProviderAsync(Token);
    }

    protected async Task<IDatabaseProvider> MigratedProviderAsync()
    {
        var provider = await NewProviderAsync();
        await provider.Schema.MigrateAsync(Token);
        return provider;
    }

    protected static Task LoadAsync(IDatabaseProvider provider, IReadOnlyList<(TableDescription Table, object?[][] Rows)> tables) =>
        PlainSql.LoadAsync(provider, tables);

    protected async Task<List<object?[]>> ReadAllAsync(IDatabaseProvider provider, TableDescription table)
    {
        var rows = new List<object?[]>();
        await foreach (var row in ReadRowsAsync(provider, table, Token))
        {
            rows.Add(row);
        }

        return rows;
    }

    protected static async Task<long> CountAsync(IDatabaseProvider provider, TableDescription table)
    {
        await using var command = provider.DataSource.CreateCommand($"SELECT COUNT(*) FROM {table.Name}");
        return Convert.ToInt64(await command.ExecuteScalarAsync(Token), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected static async Task ExecuteAsync(IDatabaseProvider provider, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = provider.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(Token);
    }

    private static async Task<List<(int Version, string Name)>> ReadVersionTableAsync(IDatabaseProvider provider)
    {
        await using var command = provider.DataSource.CreateCommand($"SELECT version, name FROM {MigrationDialect.VersionTable} ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var rows = new List<(int, string)>();
        while (await reader.ReadAsync(Token))
        {
            rows.Add((Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(1)));
        }

        return rows;
    }

    private static Type ClrType(ColumnType type) => type switch
    {
        ColumnType.Uuid => typeof(Guid),
        ColumnType.Text or ColumnType.FixedText => typeof(string),
        ColumnType.SmallInt => typeof(short),
        ColumnType.Boolean => typeof(bool),
        ColumnType.Date => typeof(DateOnly),
        ColumnType.Timestamp => typeof(DateTime),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static string Describe(object? value) => value switch
    {
        null => "NULL",
        DateTime t => $"{t:O} ({t.Kind})",
        string s => $"\"{s}\" (length {s.Length})",
        _ => $"{value} ({value.GetType().Name})",
    };
}
