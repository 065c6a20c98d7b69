using System.Data.Common;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>Reads version identities and row values from the readers of the tracking SQL.</summary>
internal static class PostgresIdentities
{
    /// <summary>The identity in (node_id, version) columns at <paramref name="ordinal"/>; null when untracked or initial.</summary>
    public static VersionIdentity? Read(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) || reader.IsDBNull(ordinal + 1)
            ? null
            : new VersionIdentity(reader.GetGuid(ordinal), reader.GetInt64(ordinal + 1));

    public static object?[] ReadValues(DbDataReader reader, TableDescription table, int firstOrdinal)
    {
        var values = new object?[table.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = PostgresRowReader.ReadValue(reader, firstOrdinal + i, table.Columns[i]);
        }

        return values;
    }
}
