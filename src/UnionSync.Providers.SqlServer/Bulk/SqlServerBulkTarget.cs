using Microsoft.Data.SqlClient;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Bulk;

/// <summary>Where a table writer copies to: the load's connection and transaction, and the table.</summary>
internal sealed record SqlServerBulkTarget(SqlConnection Connection, SqlTransaction Transaction, TableDescription Table);
