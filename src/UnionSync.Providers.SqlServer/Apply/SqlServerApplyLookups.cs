using System.Data;
using System.Text.Json;
using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Reading;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Apply;

/// <summary>
/// The read-only lookups of an apply transaction (a members' organisations, rows by unique number, scope moves of
/// keys), on its connection and in its transaction through <c>command</c>.
/// </summary>
internal sealed class SqlServerApplyLookups(Func<string, SqlCommand> command)
{
    private readonly Func<string, SqlCommand> _command = command;

    public async Task<IReadOnlyDictionary<Guid, Guid>> ReadMemberOrganizationsAsync(IReadOnlyCollection<Guid> memberKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memberKeys);
        var result = new Dictionary<Guid, Guid>(memberKeys.Count);
        if (memberKeys.Count == 0)
        {
            return result;
        }

        await using var command = _command(SqlServerApplySql.MemberOrganizationsSql);
        command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", memberKeys));
        await SqlServerApplyTransaction.RunAsync(
            async () =>
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result[reader.GetGuid(0)] = reader.GetGuid(1);
                }

                return true;
            },
            "reading members' organisations").ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlySet<Guid>> ReadInSubtreeAsync(Guid root, IReadOnlyCollection<Guid> organizations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        var result = new HashSet<Guid>();
        if (organizations.Count == 0)
        {
            return result;
        }

        await using var command = _command(SqlServerApplySql.OrganizationsInSubtreeSql);
        command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", organizations));
        command.Parameters.Add(SqlServerTrackedRows.GuidParameter("@root", root));
        await SqlServerApplyTransaction.RunAsync(
            async () =>
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(reader.GetGuid(0));
                }

                return true;
            },
            "reading which organisations lie in a subtree").ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlyDictionary<string, Guid>> FindByNaturalKeyAsync(TableDescription table, IReadOnlyCollection<string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(values);
        var result = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var sql = table.Name == "members" ? SqlServerApplySql.MembersByIdNumberSql : table.Name == "service_cards" ? SqlServerApplySql.CardsByNumberSql : null;
        if (sql is null || values.Count == 0)
        {
            return result;
        }

        await using var command = _command(sql);
        command.Parameters.Add(new SqlParameter("@values", SqlDbType.NVarChar, -1) { Value = JsonSerializer.Serialize(values) });
        await SqlServerApplyTransaction.RunAsync(
            async () =>
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result[reader.GetString(1)] = reader.GetGuid(0);
                }

                return true;
            },
            $"looking up {table.Name} by their unique number").ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlyList<ScopeMove>> ReadMovesAsync(string table, IReadOnlyCollection<Guid> keys, long since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tracked = SqlServerTrackedTable.For(table);
        var result = new List<ScopeMove>();
        if (keys.Count == 0)
        {
            return result;
        }

        await using var command = _command(SqlServerApplySql.MovesOfKeysSql);
        command.Parameters.Add(new SqlParameter("@tbl", SqlDbType.TinyInt) { Value = tracked.Number });
        command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", keys));
        command.Parameters.Add(SqlServerTrackedRows.BigIntParameter("@since", since));
        await SqlServerApplyTransaction.RunAsync(
            async () =>
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(SqlServerTrackedRows.ReadMove(reader));
                }

                return true;
            },
            $"reading scope moves of {tracked}").ConfigureAwait(false);
        return result;
    }
}
