using System.Data.Common;
using UnionSync.Sync.Changes;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>
/// The tracking columns of a row (alias <c>t</c>, joined to <c>unionsync_nodes</c> to turn node numbers back into ids),
/// selected as eight columns and read back as a <see cref="SqliteTrackingState"/>.
/// </summary>
internal static class SqliteIdentityColumns
{
    public const int Count = 8;

    public const string Select =
        "t.version, nor.node_id, t.origin_version, nba.node_id, t.base_version, nsp.node_id, t.deleted, t.scope_org";

    public const string NodeJoins =
        " LEFT JOIN unionsync_nodes AS nor ON nor.node_no = t.origin_node_no" +
        " LEFT JOIN unionsync_nodes AS nba ON nba.node_no = t.base_node_no" +
        " LEFT JOIN unionsync_nodes AS nsp ON nsp.node_no = t.source_peer_no";

    /// <summary>The state at <paramref name="offset"/>; null when the row has no tracking row.</summary>
    public static SqliteTrackingState? Read(DbDataReader reader, int offset)
    {
        if (reader.IsDBNull(offset))
        {
            return null;
        }

        return new SqliteTrackingState(
            reader.GetInt64(offset),
            Identity(reader, offset + 1, offset + 2),
            Identity(reader, offset + 3, offset + 4),
            reader.IsDBNull(offset + 5) ? null : SqliteStoredForm.ParseUuid(reader.GetString(offset + 5)),
            reader.GetInt64(offset + 6) != 0,
            reader.IsDBNull(offset + 7) ? null : SqliteStoredForm.ParseUuid(reader.GetString(offset + 7)));
    }

    private static VersionIdentity? Identity(DbDataReader reader, int node, int version) =>
        reader.IsDBNull(node) || reader.IsDBNull(version)
            ? null
            : new VersionIdentity(SqliteStoredForm.ParseUuid(reader.GetString(node)), reader.GetInt64(version));
}
