using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite;

/// <summary>
/// SQLite's part of the migrator. Concurrent migrators are serialised by the transaction itself: Microsoft.Data.Sqlite's
/// <c>BeginTransaction()</c> issues <c>BEGIN IMMEDIATE</c>, which takes the file's write lock before the versions are read
/// (a second migrator waits in the busy timeout, then reads the versions the first one recorded).
/// </summary>
internal sealed class SqliteMigrationDialect : MigrationDialect
{
    public override string CreateVersionTableSql =>
        $"""
        CREATE TABLE IF NOT EXISTS {VersionTable} (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ) STRICT
        """;
}
