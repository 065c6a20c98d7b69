using Npgsql;
using NpgsqlTypes;
using UnionSync.Providers.Postgres.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Apply;

/// <summary>
/// The read-only lookups of an apply transaction (a members' organisations, rows by unique number, scope moves of
/// keys), on its connection and in its transaction through <c>command</c>.
/// </summary>
internal sealed class PostgresApplyLookups(Func<string, NpgsqlCommand> command)
{
    private readonly Func<string, NpgsqlCommand> _command = command;

    public async Task<IReadOnlyDictionary<Guid, Guid>> ReadMemberOrganizationsAsync(IReadOnlyCollection<Guid> memberKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memberKeys);
        var result = new Dictionary<Guid, Guid>(memberKeys.Count);
        await using var command = _command(PostgresApplySql.MemberOrganizationsSql);
        command.Parameters.Add(PostgresApplyTransaction.Keys(memberKeys.ToArray()));
        var reader = await PostgresApplyTransaction.ExecuteAsync(c => c.ExecuteReaderAsync(cancellationToken), command, "members").ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result[reader.GetGuid(0)] = reader.GetGuid(1);
            }
        }

        return result;
    }

    public async Task<IReadOnlySet<Guid>> ReadInSubtreeAsync(Guid root, IReadOnlyCollection<Guid> organizations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        var result = new HashSet<Guid>();
        await using var command = _command(PostgresApplySql.OrganizationsInSubtreeSql);
        command.Parameters.Add(PostgresApplyTransaction.Keys(organizations.ToArray()));
        command.Parameters.Add(new NpgsqlParameter("root", NpgsqlDbType.Uuid) { Value = root });
        var reader = await PostgresApplyTransaction.ExecuteAsync(c => c.ExecuteReaderAsync(cancellationToken), command, "organizations").ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(reader.GetGuid(0));
            }
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, Guid>> FindByNaturalKeyAsync(TableDescription table, IReadOnlyCollection<string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(values);
        var result = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var tracked = PostgresTrackedTable.For(table.Name);
        var sql = tracked == PostgresTrackedTable.Members ? PostgresApplySql.MembersByIdNumberSql : tracked == PostgresTrackedTable.ServiceCards ? PostgresApplySql.CardsByNumberSql : null;
        if (sql is null || values.Count == 0)
        {
            return result;
        }

        await using var command = _command(sql);
        command.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });
        var reader = await PostgresApplyTransaction.ExecuteAsync(c => c.ExecuteReaderAsync(cancellationToken), command, tracked.Name).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result[reader.GetString(1)] = reader.GetGuid(0);
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<ScopeMove>> ReadMovesAsync(string table, IReadOnlyCollection<Guid> keys, long since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tracked = PostgresTrackedTable.For(table);
        var result = new List<ScopeMove>();
        await using var command = _command(PostgresApplySql.MovesSql);
        command.Parameters.Add(new NpgsqlParameter("tbl", NpgsqlDbType.Smallint) { Value = tracked.Number });
        command.Parameters.Add(PostgresApplyTransaction.Keys(keys.ToArray()));
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Bigint) { Value = since });
        var reader = await PostgresApplyTransaction.ExecuteAsync(c => c.ExecuteReaderAsync(cancellationToken), command, table).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(PostgresChangeSnapshot.ReadMove(reader));
            }
        }

        return result;
    }
}
