using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite.Tracking;
using UnionSync.Sync.Changes;

namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>
/// Writes a peer's changes of one table with reused prepared statements, and their tracking rows (the triggers stand
/// aside): a new local version, origin := the change's origin, base := the same, source peer := the sender. An upsert
/// that changes the scope column of an existing row is logged in <c>unionsync_moves</c>, as a local write would be; so is
/// an upsert that brings a row back over its tombstone at another position than the tombstone's, since this node's
/// children may still hold the row where it sat before the delete.
/// Changes from a child keep the base instead (<see cref="Sync.Providers.IApplyTransaction.ApplyFromChildAsync"/>).
/// </summary>
internal sealed class SqliteChangeWriter
{
    private readonly SqliteApplyContext _context;

    public SqliteChangeWriter(SqliteApplyContext context)
    {
        _context = context;
    }

    public async Task ApplyAsync(
        SqliteTrackedTable table, IReadOnlyList<RowChange> changes, Guid sourcePeer, bool keepBase, CancellationToken cancellationToken)
    {
        var trackingSql = keepBase ? SqliteApplySql.UpsertTrackingKeepBase : SqliteApplySql.UpsertTracking;
        var sql = SqliteApplySql.For(table);
        var source = await _context.NodeNumberAsync(sourcePeer, cancellationToken).ConfigureAwait(false);
        var dropBase = !keepBase && await AnyBaseAsync(sql, cancellationToken).ConfigureAwait(false);
        foreach (var change in changes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (change.Table.Name != table.Name)
            {
                throw new ArgumentException($"A change of table {change.Table} was passed with the changes of table {table.Name}.", nameof(changes));
            }

            var old = await ReadOldAsync(sql, change.Key, cancellationToken).ConfigureAwait(false);
            if (dropBase || (keepBase && old is not null && change.Kind == ChangeKind.Upsert))
            {
                // From the parent: agreed again, the base row goes. From a child: this node's agreed row is kept first.
                var statement = _context.Statements.Get(keepBase ? sql.CaptureBase : sql.DropBase, "@id");
                statement.Parameters[0].Value = SqliteStoredForm.FormatUuid(change.Key);
                await statement.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            switch (change.Kind)
            {
                case ChangeKind.Upsert:
                    await UpsertAsync(table, sql, change, old, (source, trackingSql), cancellationToken).ConfigureAwait(false);
                    break;
                case ChangeKind.Delete:
                    await DeleteAsync(table, sql, change, old, (source, trackingSql), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new ArgumentException(
                        $"ApplyAsync takes upserts and deletes; a {change.Kind} of table {table.Name} goes to RemoveLocallyAsync.", nameof(changes));
            }
        }
    }

    private async Task<bool> AnyBaseAsync(SqliteApplySql sql, CancellationToken cancellationToken)
    {
        var any = _context.Statements.Get(sql.AnyBase);
        return await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long n && n != 0;
    }

    private static object Text(Guid? value) => value is { } v ? SqliteStoredForm.FormatUuid(v) : DBNull.Value;

    private async Task UpsertAsync(
        SqliteTrackedTable table, SqliteApplySql sql, RowChange change, SqliteOldRow? old, (long Peer, string Sql) source, CancellationToken cancellationToken)
    {
        var values = change.Values ?? throw new ArgumentException($"The upsert of a {table.Name} row carries no values.", nameof(change));
        var columns = table.Table.Columns;
        if (values.Length != columns.Count || values[table.Table.KeyOrdinal] is not Guid key || key != change.Key)
        {
            throw new ArgumentException($"The upsert of a {table.Name} row must carry {columns.Count} values whose key is the change's key.", nameof(change));
        }

        // A row absent here may come back over its tombstone (the parent's row re-sent after a delete lost there, a child's
        // winning version): read where the tombstone placed it before the tracking row is overwritten.
        var tombstoneScope = old is null ? await TombstoneScopeAsync(table, change.Key, cancellationToken).ConfigureAwait(false) : null;
        await WriteRowAsync(table, sql, values, old, cancellationToken).ConfigureAwait(false);
        var version = await WriteTrackingAsync(table, change, deleted: false, scope: null, source, cancellationToken).ConfigureAwait(false);

        var newScope = values[sql.ScopeOrdinal] is Guid scopeKey ? SqliteStoredForm.FormatUuid(scopeKey) : null;
        var isCard = table.Number == SqliteTrackedTable.ServiceCards.Number;
        string? from;
        string? to;
        if (old is not null)
        {
            var oldScope = old.ScopeColumn(sql.ScopeOrdinal);
            if (string.Equals(oldScope, newScope, StringComparison.Ordinal))
            {
                return;
            }

            from = isCard ? await MemberOrganizationAsync(oldScope, cancellationToken).ConfigureAwait(false) : oldScope;
        }
        else if (tombstoneScope is not null)
        {
            // Back over a tombstone: a move when the row comes back at another organisation than the tombstone's.
            from = tombstoneScope;
        }
        else
        {
            return;
        }

        to = isCard ? await MemberOrganizationAsync(newScope, cancellationToken).ConfigureAwait(false) : newScope;
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            return;
        }

        version ??= await _context.NextVersionAsync(cancellationToken).ConfigureAwait(false);
        var move = _context.Statements.Get(SqliteApplySql.InsertMove, "@version", "@tbl", "@id", "@from", "@to");
        move.Parameters[0].Value = version.Value;
        move.Parameters[1].Value = table.Number;
        move.Parameters[2].Value = SqliteStoredForm.FormatUuid(change.Key);
        move.Parameters[3].Value = (object?)from ?? DBNull.Value;
        move.Parameters[4].Value = (object?)to ?? DBNull.Value;
        await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A new row is inserted whole. A row already here gets an UPDATE of the columns whose stored value differs, and none
    /// when nothing differs: an index none of whose columns changed is left alone (a download of edited phone numbers
    /// does not rewrite the name and ID-number indexes).
    /// </summary>
    private async Task WriteRowAsync(SqliteTrackedTable table, SqliteApplySql sql, object?[] values, SqliteOldRow? old, CancellationToken cancellationToken)
    {
        var columns = table.Table.Columns;
        var stored = new object[columns.Count];
        var changed = 0UL;
        for (var i = 0; i < columns.Count; i++)
        {
            stored[i] = SqliteStoredForm.ToStored(values[i], columns[i]);
            if (old is not null && !Equals(stored[i], old.Stored[i]))
            {
                changed |= 1UL << i;
            }
        }

        if (old is not null && columns.Count <= 64)
        {
            if (changed == 0)
            {
                return;
            }

            var update = _context.Statements.Get(sql.UpdateOf(changed), sql.UpsertParameters);
            for (var i = 0; i < columns.Count; i++)
            {
                update.Parameters[i].Value = stored[i];
            }

            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var upsert = _context.Statements.Get(sql.Upsert, sql.UpsertParameters);
        for (var i = 0; i < columns.Count; i++)
        {
            upsert.Parameters[i].Value = stored[i];
        }

        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(
        SqliteTrackedTable table, SqliteApplySql sql, RowChange change, SqliteOldRow? old, (long Peer, string Sql) source, CancellationToken cancellationToken)
    {
        var delete = _context.Statements.Get(sql.Delete, "@id");
        delete.Parameters[0].Value = SqliteStoredForm.FormatUuid(change.Key);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        // The tombstone's scope is where the row sat here (what this node's children saw); the sender's when it was absent.
        var scope = old?.TombstoneScope ?? (change.ScopeOrganization is { } org ? SqliteStoredForm.FormatUuid(org) : null);
        await WriteTrackingAsync(table, change, deleted: true, scope, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the tracking row and returns its version; for an initial version (no origin) removes it instead.</summary>
    private async Task<long?> WriteTrackingAsync(
        SqliteTrackedTable table, RowChange change, bool deleted, string? scope, (long Peer, string Sql) source, CancellationToken cancellationToken)
    {
        var id = SqliteStoredForm.FormatUuid(change.Key);
        if (change.Origin is not { } origin)
        {
            // An initial version: the row is as it was at the sender's provisioning, which no tracking row describes.
            await _context.CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
            var remove = _context.Statements.Get(SqliteApplySql.DeleteTracking, "@tbl", "@id");
            remove.Parameters[0].Value = table.Number;
            remove.Parameters[1].Value = id;
            await remove.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        var originNumber = await _context.NodeNumberAsync(origin.Node, cancellationToken).ConfigureAwait(false);
        var version = await _context.NextVersionAsync(cancellationToken).ConfigureAwait(false);
        _context.Received(origin.Version);
        var tracking = _context.Statements.Get(
            source.Sql, "@tbl", "@id", "@version", "@origin", "@origin_version", "@source", "@deleted", "@scope");
        tracking.Parameters[0].Value = table.Number;
        tracking.Parameters[1].Value = id;
        tracking.Parameters[2].Value = version;
        tracking.Parameters[3].Value = originNumber;
        tracking.Parameters[4].Value = origin.Version;
        tracking.Parameters[5].Value = source.Peer;
        tracking.Parameters[6].Value = deleted ? 1L : 0L;
        tracking.Parameters[7].Value = (object?)scope ?? DBNull.Value;
        await tracking.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return version;
    }

    private async Task<SqliteOldRow?> ReadOldAsync(SqliteApplySql sql, Guid key, CancellationToken cancellationToken)
    {
        var command = _context.Statements.Get(sql.ReadOld, "@id");
        command.Parameters[0].Value = Text(key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var stored = new object[reader.FieldCount - 1];
        for (var i = 0; i < stored.Length; i++)
        {
            stored[i] = reader.GetValue(i + 1);
        }

        return new SqliteOldRow(reader.IsDBNull(0) ? null : reader.GetString(0), stored);
    }

    private async Task<string?> TombstoneScopeAsync(SqliteTrackedTable table, Guid key, CancellationToken cancellationToken)
    {
        var command = _context.Statements.Get(SqliteApplySql.TombstoneScope, "@tbl", "@id");
        command.Parameters[0].Value = table.Number;
        command.Parameters[1].Value = SqliteStoredForm.FormatUuid(key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private async Task<string?> MemberOrganizationAsync(string? member, CancellationToken cancellationToken)
    {
        if (member is null)
        {
            return null;
        }

        var command = _context.Statements.Get(SqliteApplySql.MemberOrganization, "@id");
        command.Parameters[0].Value = member;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
