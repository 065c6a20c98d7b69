using System.Globalization;
using UnionSync.Providers.SqlServer;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>A new database on the run's SQL Server, migrated and provisioned for sync, with raw-SQL helpers: what other writers do.</summary>
internal sealed class SqlServerSyncDatabase : IAsyncDisposable
{
    private SqlServerSyncDatabase(ISyncProvider provider, Guid nodeId)
    {
        Provider = provider;
        NodeId = nodeId;
    }

    public ISyncProvider Provider { get; }

    public Guid NodeId { get; }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Skips the test, with the reason, where no SQL Server can run. <paramref name="seed"/> rows are bulk-loaded before provisioning.</summary>
    public static async Task<SqlServerSyncDatabase> CreateAsync(SqlServerFixture server, bool seed = false)
    {
        server.EnsureAvailable();
        var provider = Assert.IsType<ISyncProvider>(new SqlServerProviderFactory().Create(await server.CreateDatabaseAsync(Token)), exactMatch: false);
        await provider.Schema.MigrateAsync(Token);
        if (seed)
        {
            await LoadSampleRowsAsync(provider);
        }

        return new SqlServerSyncDatabase(provider, await provider.Tracking.ProvisionAsync(Token));
    }

    public static async Task LoadSampleRowsAsync(IDatabaseProvider provider)
    {
        await using var load = await provider.BulkLoader.BeginAsync(Token);
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

    public static string InsertOrganizationSql(Guid id, Guid? parent, int level, string name) =>
        "INSERT INTO organizations (id, parent_id, level, name, credit_code, district_code, status, created_at, updated_at) VALUES " +
        $"('{id}', {(parent is { } p ? $"'{p}'" : "NULL")}, {level.ToString(CultureInfo.InvariantCulture)}, N'{name}', NULL, '110105', 'active', " +
        "'2026-01-01T08:30:00', '2026-01-01T08:30:00');";

    public static string InsertMemberSql(Guid id, Guid organization, string idNumber) =>
        "INSERT INTO members (id, organization_id, name, id_number, phone, employer_code, join_date, status, migrant_worker, skill_level, created_at, updated_at) " +
        $"VALUES ('{id}', '{organization}', N'王芳', '{idNumber}', NULL, NULL, '2025-05-05', 'active', 0, 1, '2026-01-01T08:30:00', '2026-01-01T08:30:00');";

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Provider.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = Provider.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Token), CultureInfo.InvariantCulture);
    }

    public async Task<List<RowChange>> ChangesAsync(TableDescription table, long since = 0, Guid? scope = null, Guid? excluded = null)
    {
        await using var snapshot = await Provider.Changes.OpenSnapshotAsync(Token);
        return await ToListAsync(snapshot.ReadChangesAsync(new ChangeQuery(table, since, scope, excluded), Token));
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
