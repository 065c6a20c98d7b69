using System.Globalization;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres;

/// <summary>
/// PostgreSQL's part of the migrator. Migrators exclude each other with a transaction-scoped advisory lock, taken
/// before the versions are read; the version table is created under the same lock, because two concurrent
/// <c>CREATE TABLE IF NOT EXISTS</c> can still collide in <c>pg_type</c>.
/// </summary>
internal sealed class PostgresMigrationDialect : MigrationDialect
{
    /// <summary>The advisory lock key: the bytes of "UnionSyn".</summary>
    public const long MigrationLockKey = 6155973667975297390;

    private static readonly string LockKeyText = MigrationLockKey.ToString(CultureInfo.InvariantCulture);

    public override string CreateVersionTableSql =>
        $"""
        DO $$
        BEGIN
            PERFORM pg_advisory_xact_lock({LockKeyText});
            CREATE TABLE IF NOT EXISTS {VersionTable} (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
        END
        $$
        """;

    public override string? LockSql => $"SELECT pg_advisory_xact_lock({LockKeyText})";
}
