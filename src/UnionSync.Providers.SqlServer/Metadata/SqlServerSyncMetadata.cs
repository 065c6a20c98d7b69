using System.Data.Common;
using UnionSync.Sync.Metadata;

namespace UnionSync.Providers.SqlServer.Metadata;

/// <summary>
/// Peers, checkpoints and the conflict log on SQL Server: the engine's ANSI <see cref="SqlSyncMetadata"/>, with UTC
/// timestamps sent as <see cref="DateTimeOffset"/>. A <see cref="DateTime"/> parameter would travel as the legacy
/// <c>datetime</c> type (steps of 3.33 ms); a <c>datetimeoffset</c> one keeps the microseconds of the <c>datetime2(6)</c> columns.
/// </summary>
internal sealed class SqlServerSyncMetadata : SqlSyncMetadata
{
    public SqlServerSyncMetadata(DbDataSource dataSource, TimeProvider timeProvider)
        : base(dataSource, timeProvider)
    {
    }

    protected override object TimestampValue(DateTime value) => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
