using System.Data;
using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Reading;

/// <summary>
/// The shape every row-with-identity statement returns, and how it is read: the key, the tombstone flag, the origin and
/// base identities (node ids from <c>unionsync_nodes</c>), the tombstone's scope organisation, the local rowversion,
/// the source peer, then the table's columns in row-value order (NULL where the row is not there).
/// </summary>
internal static class SqlServerTrackedRows
{
    public const int DataOrdinal = 9;

    /// <summary>Joins from the tracking row <c>tr</c> to the node ids of its origin, base and source peer.</summary>
    public const string NodeJoins =
        "LEFT JOIN unionsync_nodes AS origin_node ON origin_node.node_no = tr.origin_node_no\n" +
        "LEFT JOIN unionsync_nodes AS base_node ON base_node.node_no = tr.base_node_no\n" +
        "LEFT JOIN unionsync_nodes AS peer_node ON peer_node.node_no = tr.source_peer_no";

    /// <summary>The keys of a JSON array parameter (<c>@name</c>) as a row source of one column <c>id</c>.</summary>
    public static string JsonKeys(string parameter) => $"OPENJSON({parameter}) WITH (id uniqueidentifier '$')";

    /// <summary>The select list: <paramref name="key"/> and <paramref name="deleted"/> are expressions; the data columns come from <c>t</c>.</summary>
    public static string SelectList(SqlServerTrackedTable table, string key, string deleted)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = string.Join(", ", table.Table.Columns.Select(c => "t." + SqlServerStatements.QuoteIdentifier(c.Name)));
        return $"{key} AS unionsync_key, {deleted} AS unionsync_deleted, origin_node.node_id, tr.origin_version, base_node.node_id, tr.base_version, " +
               $"tr.scope_org, CONVERT(bigint, tr.rv), peer_node.node_id, {columns}";
    }

    public static SqlParameter KeysParameter(string name, IEnumerable<Guid> keys) =>
        new(name, SqlDbType.NVarChar, -1) { Value = JsonSerializer.Serialize(keys.Distinct().Select(k => k.ToString("D"))) };

    public static SqlParameter GuidParameter(string name, Guid? value) =>
        new(name, SqlDbType.UniqueIdentifier) { Value = value is { } v ? v : DBNull.Value };

    public static SqlParameter BigIntParameter(string name, long value) => new(name, SqlDbType.BigInt) { Value = value };

    /// <summary>A change of <paramref name="table"/>, the description the statement was built for (its added columns included).</summary>
    public static RowChange ReadChange(DbDataReader reader, TableDescription table)
    {
        var present = !reader.IsDBNull(DataOrdinal + table.KeyOrdinal);
        var deleted = !present || (!reader.IsDBNull(1) && reader.GetBoolean(1));
        return new RowChange
        {
            Table = table,
            Key = reader.GetGuid(0),
            Kind = deleted ? ChangeKind.Delete : ChangeKind.Upsert,
            Values = deleted ? null : ReadValues(reader, table),
            Origin = Identity(reader, 2),
            Base = Identity(reader, 4),
            ScopeOrganization = deleted && !reader.IsDBNull(6) ? reader.GetGuid(6) : null,
        };
    }

    public static CurrentRow ReadCurrent(DbDataReader reader, TableDescription table)
    {
        var present = !reader.IsDBNull(DataOrdinal + table.KeyOrdinal);
        return new CurrentRow(
            Identity(reader, 2),
            reader.IsDBNull(8) ? null : reader.GetGuid(8),
            !present,
            present ? ReadValues(reader, table) : null,
            reader.IsDBNull(7) ? 0 : reader.GetInt64(7));
    }

    public static ScopeMove ReadMove(DbDataReader reader) => new(
        SqlServerTrackedTable.For(reader.GetByte(0)).Table.Name,
        reader.GetGuid(1),
        reader.IsDBNull(2) ? null : reader.GetGuid(2),
        reader.IsDBNull(3) ? null : reader.GetGuid(3),
        reader.GetInt64(4));

    private static object?[] ReadValues(DbDataReader reader, TableDescription table)
    {
        var columns = table.Columns;
        var values = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            values[i] = SqlServerRowReader.ReadValue(reader, DataOrdinal + i, columns[i]);
        }

        return values;
    }

    private static VersionIdentity? Identity(DbDataReader reader, int nodeOrdinal) =>
        reader.IsDBNull(nodeOrdinal) || reader.IsDBNull(nodeOrdinal + 1)
            ? null
            : new VersionIdentity(reader.GetGuid(nodeOrdinal), reader.GetInt64(nodeOrdinal + 1));
}
