using System.Data.Common;
using Microsoft.Data.SqlClient;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Reading;

/// <summary>Opens SNAPSHOT-isolation read transactions bounded by <c>MIN_ACTIVE_ROWVERSION()</c> (<see cref="SqlServerChangeSnapshot"/>).</summary>
internal sealed class SqlServerChangeReader : IChangeReader
{
    private readonly DbDataSource _dataSource;

    public SqlServerChangeReader(DbDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken) =>
        await SqlServerChangeSnapshot.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The synced tables' columns from <c>sys.columns</c> (current schema). An added column syncs as text when it is
    /// nvarchar, varchar, nchar or char, and as a 64-bit integer when it is smallint, int or bigint (an alias type counts
    /// as its base type); any other type is refused, naming the column.
    /// </summary>
    public async Task<SyncSchema> DescribeAsync(CancellationToken cancellationToken)
    {
        var columns = new List<CatalogColumn>();
        string database;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            database = $"SQL Server database {connection.Database}";
            await using var command = new SqlCommand(SqlServerChangeSql.CatalogSql, (SqlConnection)connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add(new CatalogColumn(reader.GetString(0), reader.GetString(1), SyncType(reader.GetString(2)), reader.GetString(3), reader.GetBoolean(4)));
            }
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "describing the synced tables");
        }

        return SyncSchema.FromCatalog(columns, database);
    }

    /// <summary>The type an added column of this SQL Server type (<c>sys.types.name</c>) syncs as; null when it does not sync.</summary>
    internal static ColumnType? SyncType(string typeName) => typeName.ToLowerInvariant() switch
    {
        "nvarchar" or "varchar" or "nchar" or "char" => ColumnType.Text,
        "smallint" or "int" or "bigint" => ColumnType.BigInt,
        _ => null,
    };
}
