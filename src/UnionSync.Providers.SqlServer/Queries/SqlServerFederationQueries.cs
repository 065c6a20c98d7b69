using System.Data.Common;
using UnionSync.Sync.Queries;

namespace UnionSync.Providers.SqlServer.Queries;

/// <summary>
/// The read model on SQL Server: T-SQL's recursive CTE has no <c>RECURSIVE</c> keyword, and rows are limited by
/// <c>TOP</c> rather than <c>LIMIT</c>.
/// </summary>
public sealed class SqlServerFederationQueries : FederationQueries
{
    public SqlServerFederationQueries(DbDataSource dataSource)
        : base(dataSource)
    {
    }

    protected override string RecursiveWith => "WITH";

    protected override string Top(string limitParameter) => $"TOP ({limitParameter}) ";

    protected override string Limit(string limitParameter) => string.Empty;
}
