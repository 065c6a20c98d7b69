using Npgsql;
using UnionSync.Sync.Metadata;

namespace UnionSync.Providers.Postgres.Metadata;

/// <summary>Peers, checkpoints and the conflict log in PostgreSQL: the shared ANSI implementation, UUIDs and timestamptz as they are.</summary>
internal sealed class PostgresSyncMetadata : SqlSyncMetadata
{
    public PostgresSyncMetadata(NpgsqlDataSource dataSource, TimeProvider timeProvider)
        : base(dataSource, timeProvider)
    {
    }
}
