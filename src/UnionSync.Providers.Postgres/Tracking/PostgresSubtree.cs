using Npgsql;
using NpgsqlTypes;

namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>Reads an organisation and its descendants inside a caller's transaction.</summary>
internal static class PostgresSubtree
{
    public static async Task<IReadOnlySet<Guid>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid root, CancellationToken cancellationToken)
    {
        var result = new HashSet<Guid>();
        try
        {
            await using var command = new NpgsqlCommand(PostgresChangeSql.SubtreeSql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter("root", NpgsqlDbType.Uuid) { Value = root });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(reader.GetGuid(0));
            }
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, "organizations");
        }

        return result;
    }
}
