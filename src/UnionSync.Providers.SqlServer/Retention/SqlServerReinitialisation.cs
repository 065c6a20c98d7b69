using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer.Retention;

/// <summary>
/// The local side of a reinitialise on SQL Server: one transaction, begun before the node's last upload, holding the
/// three data tables with exclusive table locks and the triggers standing aside. A rowversion is assigned at write time,
/// not commit, so "written after the upload" cannot be read from it; holding writers off from before the upload's
/// snapshot makes it true by construction that the upload saw every local change.
/// </summary>
internal sealed class SqlServerReinitialisation : IReinitialisation
{
    private readonly SqlServerRetention _retention;
    private readonly SqlConnection _connection;
    private readonly SqlTransaction _transaction;
    private bool _committed;

    public SqlServerReinitialisation(SqlServerRetention retention, SqlConnection connection, SqlTransaction transaction)
    {
        _retention = retention;
        _connection = connection;
        _transaction = transaction;
    }

    public async Task<bool> ClearAsync(Guid parent, long uploadedWatermark, CancellationToken cancellationToken)
    {
        try
        {
            long floor;
            await using (var clear = new SqlCommand(SqlServerRetentionSql.ClearSql, _connection, _transaction) { CommandTimeout = 0 })
            {
                floor = (long)(await clear.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await _retention.WriteReinitialisedFloorAsync(_connection, _transaction, floor, cancellationToken).ConfigureAwait(false);
            await using (var end = new SqlCommand(SqlServerApplySql.EndSql, _connection, _transaction))
            {
                await end.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _committed = true;
            return true;
        }
        catch (SqlException ex)
        {
            throw SqlServerErrorTranslator.Translate(ex, "clearing a node to reinitialise it");
        }
    }

    /// <summary>
    /// Rolls back when not cleared, which releases the locks. Session context is not transactional; a pooled connection's
    /// is cleared when the pool resets it, as the apply transaction relies on.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            try
            {
                await _transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SqlException or InvalidOperationException)
            {
                // Already rolled back by the server (XACT_ABORT, broken connection).
            }
        }

        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
