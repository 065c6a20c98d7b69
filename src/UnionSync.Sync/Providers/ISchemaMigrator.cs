namespace UnionSync.Sync.Providers;

/// <summary>
/// Versioned migrations of the data schema (DESIGN §3) and of the project's own metadata tables, applied in order,
/// each in its own transaction, and recorded in the schema-version table.
/// </summary>
public interface ISchemaMigrator
{
    /// <summary>The provider's migration scripts, in version order.</summary>
    IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>Applies every migration newer than the database's version; returns the versions applied now.</summary>
    /// <exception cref="Errors.SchemaMismatchException">the database records a version newer than this program knows.</exception>
    Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The newest version the database records, 0 for a database never migrated.</summary>
    Task<int> GetVersionAsync(CancellationToken cancellationToken);
}
