using System.Data;
using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Bulk;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Apply;

/// <summary>
/// Copies one batch of changes into its staging temp table with SqlBulkCopy: upserts with their values (checked and
/// converted by <see cref="SqlServerRowConverter"/>, as the bulk path does), deletes with their key only, each with its
/// kind, origin identity and tombstone scope. A batch is bounded by the engine, so it is staged from memory.
/// </summary>
internal static class SqlServerStagingTable
{
    public const byte UpsertKind = 0;
    public const byte DeleteKind = 1;

    public static async Task WriteAsync(
        SqlConnection connection, SqlTransaction transaction, SqlServerApplySql sql, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken)
    {
        var table = sql.Table.Table;
        using var rows = Build(table, changes);
        using var bulkCopy = new SqlBulkCopy(connection, SqlBulkCopyOptions.KeepNulls, transaction)
        {
            DestinationTableName = sql.StageTable,
            BatchSize = 0,
            BulkCopyTimeout = 0,
        };

        foreach (DataColumn column in rows.Columns)
        {
            bulkCopy.ColumnMappings.Add(column.ColumnName, column.ColumnName);
        }

        await bulkCopy.WriteToServerAsync(rows, cancellationToken).ConfigureAwait(false);
    }

    internal static DataTable Build(TableDescription table, IReadOnlyList<RowChange> changes)
    {
        var rows = new DataTable(table.Name) { Locale = System.Globalization.CultureInfo.InvariantCulture };
        foreach (var column in table.Columns)
        {
            rows.Columns.Add(column.Name, SqlServerRowConverter.ProviderType(column.Type));
        }

        rows.Columns.Add("unionsync_kind", typeof(byte));
        rows.Columns.Add("unionsync_origin_node", typeof(Guid));
        rows.Columns.Add("unionsync_origin_version", typeof(long));
        rows.Columns.Add("unionsync_scope_org", typeof(Guid));

        var converter = new SqlServerRowConverter(table);
        var width = table.Columns.Count;
        foreach (var change in changes)
        {
            var values = new object[width + 4];
            if (change.Kind == ChangeKind.Upsert)
            {
                converter.Convert(change.Values!).CopyTo(values, 0);
            }
            else
            {
                Array.Fill(values, DBNull.Value, 0, width);
                values[table.KeyOrdinal] = change.Key;
            }

            values[width] = change.Kind == ChangeKind.Upsert ? UpsertKind : DeleteKind;
            values[width + 1] = change.Origin is { } origin ? origin.Node : DBNull.Value;
            values[width + 2] = change.Origin is { } version ? version.Version : DBNull.Value;
            values[width + 3] = change.Kind == ChangeKind.Delete && change.ScopeOrganization is { } scope ? scope : DBNull.Value;
            rows.Rows.Add(values);
        }

        return rows;
    }
}
