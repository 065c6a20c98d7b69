namespace UnionSync.Sync.Providers;

/// <summary>
/// What a provider says to <see cref="SqlSchemaMigrator"/>: the schema-version table's DDL, how a script splits into
/// batches, and how concurrent migrators exclude each other. The ANSI defaults suit most of them.
/// </summary>
public abstract class MigrationDialect
{
    /// <summary>The table that records applied migrations; part of the metadata prefix <c>unionsync_</c>.</summary>
    public const string VersionTable = "unionsync_schema_version";

    public abstract string CreateVersionTableSql { get; }

    public virtual string SelectVersionsSql => $"SELECT version FROM {VersionTable} ORDER BY version";

    /// <summary>Records a version; parameters <c>@version</c> and <c>@name</c>.</summary>
    public virtual string InsertVersionSql => $"INSERT INTO {VersionTable} (version, name) VALUES (@version, @name)";

    /// <summary>Batches of one migration script, run in order inside one transaction.</summary>
    public virtual IEnumerable<string> SplitBatches(string script) => [script];

    /// <summary>
    /// A statement run first inside the migration transaction that serialises concurrent migrators
    /// (several hub instances starting at once); null where the transaction itself does.
    /// </summary>
    public virtual string? LockSql => null;
}
