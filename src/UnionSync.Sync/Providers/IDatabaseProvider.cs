using System.Data.Common;

namespace UnionSync.Sync.Providers;

/// <summary>
/// One database, reached through one provider (DESIGN §2). It hands out the provider's parts; it holds no
/// mutable connection string. Disposing it disposes its data source.
/// </summary>
public interface IDatabaseProvider : IAsyncDisposable
{
    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>sqlserver</c>: the prefix of a database name (DESIGN §6).</summary>
    string Name { get; }

    DbDataSource DataSource { get; }

    ISchemaMigrator Schema { get; }

    IBulkLoader BulkLoader { get; }

    /// <summary>Where the database is, fit for a log line: host, port and database or file, never a password.</summary>
    string Describe();
}
