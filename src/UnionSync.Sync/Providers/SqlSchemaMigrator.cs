using System.Data.Common;
using System.Reflection;
using UnionSync.Sync.Errors;

namespace UnionSync.Sync.Providers;

/// <summary>
/// Applies a provider's <c>Schema/NNN_name.sql</c> scripts in version order, each with its version record in one
/// transaction, so that a failed migration leaves the database at the version before it.
/// </summary>
public sealed class SqlSchemaMigrator : ISchemaMigrator
{
    private const string ResourcePrefix = "UnionSync.Schema.";

    private readonly DbDataSource _dataSource;
    private readonly MigrationDialect _dialect;

    public SqlSchemaMigrator(DbDataSource dataSource, MigrationDialect dialect, IReadOnlyList<SchemaMigration> migrations)
    {
        _dataSource = dataSource;
        _dialect = dialect;
        Migrations = migrations;
    }

    public IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>Reads the scripts embedded in <paramref name="assembly"/> as <c>UnionSync.Schema.NNN_name.sql</c>.</summary>
    public static IReadOnlyList<SchemaMigration> LoadEmbedded(Assembly assembly)
    {
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName.AsSpan(0, underscore), out var version))
            {
                throw new InvalidOperationException($"Migration script {resource} is not named NNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SchemaMigration(version, fileName[(underscore + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migration scripts share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    public async Task<int> GetVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureVersionTableAsync(connection, cancellationToken).ConfigureAwait(false);
        var applied = await ReadAppliedAsync(connection, null, cancellationToken).ConfigureAwait(false);
        return applied.Count == 0 ? 0 : applied.Max();
    }

    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureVersionTableAsync(connection, cancellationToken).ConfigureAwait(false);

        var appliedNow = new List<int>();
        foreach (var migration in Migrations)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (_dialect.LockSql is { } lockSql)
            {
                await ExecuteAsync(connection, transaction, lockSql, cancellationToken).ConfigureAwait(false);
            }

            var applied = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var newest = Migrations[^1].Version;
            if (applied.Count > 0 && applied.Max() > newest)
            {
                throw new SchemaMismatchException(
                    $"The database is at schema version {applied.Max()}, newer than this program's {newest}; upgrade the program, do not downgrade the database.");
            }

            if (applied.Contains(migration.Version))
            {
                continue;
            }

            foreach (var batch in _dialect.SplitBatches(migration.Script))
            {
                await ExecuteAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = _dialect.InsertVersionSql;
                AddParameter(record, "@version", migration.Version);
                AddParameter(record, "@name", migration.Name);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            appliedNow.Add(migration.Version);
        }

        return appliedNow;
    }

    private async Task EnsureVersionTableAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, null, _dialect.CreateVersionTableSql, cancellationToken).ConfigureAwait(false);

    private async Task<HashSet<int>> ReadAppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _dialect.SelectVersionsSql;
        var versions = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
