using System.Data.Common;
using UnionSync.Sync.Metadata;

namespace UnionSync.Providers.Sqlite.Metadata;

/// <summary>Peers and the conflict log on SQLite: UUIDs as lowercase text, timestamps as ISO-8601 UTC text.</summary>
internal sealed class SqliteSyncMetadata : SqlSyncMetadata
{
    public SqliteSyncMetadata(DbDataSource dataSource, TimeProvider timeProvider)
        : base(dataSource, timeProvider)
    {
    }

    protected override object UuidValue(Guid value) => SqliteStoredForm.FormatUuid(value);

    protected override Guid ReadUuid(DbDataReader reader, int ordinal) => SqliteStoredForm.ParseUuid(reader.GetString(ordinal));

    protected override object TimestampValue(DateTime value) =>
        SqliteStoredForm.FormatTimestamp(SqliteStoredForm.TruncateToMicroseconds(DateTime.SpecifyKind(value, DateTimeKind.Utc)));

    protected override DateTime ReadTimestamp(DbDataReader reader, int ordinal) => SqliteStoredForm.ParseTimestamp(reader.GetString(ordinal));
}
