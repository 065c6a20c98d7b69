using System.Data.Common;
using UnionSync.Sync.Queries;

namespace UnionSync.Providers.Postgres.Queries;

/// <summary>
/// The read model on PostgreSQL: the ANSI statements run as they are (<c>WITH RECURSIVE</c>, <c>LIMIT</c>, native
/// <c>uuid</c> and <c>date</c>), so nothing is overridden.
/// </summary>
public sealed class PostgresFederationQueries : FederationQueries
{
    public PostgresFederationQueries(DbDataSource dataSource)
        : base(dataSource)
    {
    }
}
