using Microsoft.Data.SqlClient;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer;

/// <summary>The engine's <see cref="SqlSchemaMigrator"/> with SQL Server's dialect, its errors translated to <see cref="Sync.Errors.ProviderException"/>.</summary>
internal sealed class SqlServerSchemaMigrator : ISchemaMigrator
{
    private readonly SqlSchemaMigrator _inner;

    public SqlServerSchemaMigrator(SqlSchemaMigrator inner)
    {
        _inner = inner;
    }

    public IReadOnlyList<SchemaMigration> Migrations => _inner.Migrations;

    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _inner.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "schema migration");
        }
    }

    public async Task<int> GetVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _inner.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "reading the schema version");
        }
    }
}
