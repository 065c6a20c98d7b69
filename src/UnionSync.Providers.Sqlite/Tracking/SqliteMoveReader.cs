using System.Data.Common;
using UnionSync.Sync.Changes;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>Reads a <c>unionsync_moves</c> row selected as <c>version, tbl, id, from_org, to_org</c>.</summary>
internal static class SqliteMoveReader
{
    public static ScopeMove Read(DbDataReader reader) => new(
        SqliteTrackedTable.For(reader.GetInt64(1)).Name,
        SqliteStoredForm.ParseUuid(reader.GetString(2)),
        reader.IsDBNull(3) ? null : SqliteStoredForm.ParseUuid(reader.GetString(3)),
        reader.IsDBNull(4) ? null : SqliteStoredForm.ParseUuid(reader.GetString(4)),
        reader.GetInt64(0));
}
