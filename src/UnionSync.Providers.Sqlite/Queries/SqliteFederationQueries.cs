using System.Data.Common;
using System.Globalization;
using UnionSync.Sync.Queries;

namespace UnionSync.Providers.Sqlite.Queries;

/// <summary>
/// The read model on SQLite. Uuids are stored as lowercase canonical text, so parameters travel as that text;
/// Microsoft.Data.Sqlite reads text uuids and ISO dates back through the base class's typed reads.
/// </summary>
public sealed class SqliteFederationQueries : FederationQueries
{
    public SqliteFederationQueries(DbDataSource dataSource)
        : base(dataSource)
    {
    }

    protected override object UuidValue(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);
}
