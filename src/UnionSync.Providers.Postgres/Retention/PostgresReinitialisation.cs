using Npgsql;
using UnionSync.Providers.Postgres.Apply;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres.Retention;

/// <summary>
/// The local side of a reinitialise on PostgreSQL: one transaction, begun before the node's last upload, that holds the
/// three data tables in EXCLUSIVE mode (plain reads go on; every writer, including this node's own apply transactions,
/// waits) with the tracking triggers standing aside. Transaction ids are not commit order, so "written after the
/// upload" cannot be read from them; holding writers off from before the upload's snapshot makes it true by
/// construction that the upload saw every local change, and <see cref="ClearAsync"/> needs no check.
/// </summary>
internal sealed class PostgresReinitialisation : IReinitialisation
{
    /// <summary>Waits for writers already at work, then keeps new ones out until commit or rollback.</summary>
    public const string HoldSql =
        PostgresApplySql.ApplyingSql + "; LOCK TABLE organizations, members, service_cards IN EXCLUSIVE MODE";

    /// <summary>Children first; tracking rows, the change log, moves and base rows go too (triggers stand aside, so nothing new is tracked).</summary>
    public const string ClearSql =
        "DELETE FROM service_cards; DELETE FROM members; DELETE FROM organizations; DELETE FROM unionsync_tracking; DELETE FROM unionsync_changes; " +
        "DELETE FROM unionsync_moves; " +
        "DELETE FROM unionsync_base_organizations; DELETE FROM unionsync_base_members; DELETE FROM unionsync_base_service_cards";

    /// <summary>
    /// Above every watermark handed out: a snapshot taken before this transaction had its id has an xmin at most that id.
    /// </summary>
    public const string FloorSql = "SELECT pg_current_xact_id()::text::bigint + 1";

    private readonly PostgresRetention _retention;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    public PostgresReinitialisation(PostgresRetention retention, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _retention = retention;
        _connection = connection;
        _transaction = transaction;
    }

    public async Task<bool> ClearAsync(Guid parent, long uploadedWatermark, CancellationToken cancellationToken)
    {
        try
        {
            await using (var clear = new NpgsqlCommand(ClearSql, _connection, _transaction))
            {
                await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            long floor;
            await using (var read = new NpgsqlCommand(FloorSql, _connection, _transaction))
            {
                floor = (long)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await _retention.WriteReinitialisedFloorAsync(_connection, _transaction, floor, cancellationToken).ConfigureAwait(false);
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }
    }

    /// <summary>Rolls back when not cleared, which releases the hold.</summary>
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
