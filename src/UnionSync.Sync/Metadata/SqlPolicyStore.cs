using System.Data.Common;
using System.Runtime.CompilerServices;
using UnionSync.Sync.Policies;

namespace UnionSync.Sync.Metadata;

/// <summary>
/// The conflict policies a parent keeps (docs/sync-engine.md §8, §11): <c>unionsync_policies</c>, with the fallbacks
/// (<c>unionsync_policy_fallbacks</c>) and column owners (<c>unionsync_column_owners</c>) of the policies that merge by
/// columns. Timestamps travel as the provider's <see cref="SqlSyncMetadata"/> has them.
/// </summary>
internal sealed class SqlPolicyStore(
    DbDataSource dataSource, TimeProvider timeProvider, Func<DateTime, object> timestampValue, Func<DbDataReader, int, DateTime> readTimestamp)
{
    private const string SelectPoliciesSql = "SELECT tbl, policy, updated_at FROM unionsync_policies ORDER BY tbl";

    private const string UpdatePolicySql = "UPDATE unionsync_policies SET policy = @policy, updated_at = @now WHERE tbl = @tbl";

    private const string InsertPolicySql = "INSERT INTO unionsync_policies (tbl, policy, updated_at) VALUES (@tbl, @policy, @now)";

    private const string SelectFallbacksSql = "SELECT tbl, fallback FROM unionsync_policy_fallbacks";

    private const string UpdateFallbackSql = "UPDATE unionsync_policy_fallbacks SET fallback = @fallback, updated_at = @now WHERE tbl = @tbl";

    private const string InsertFallbackSql = "INSERT INTO unionsync_policy_fallbacks (tbl, fallback, updated_at) VALUES (@tbl, @fallback, @now)";

    private const string SelectOwnersSql = "SELECT tbl, col, owner FROM unionsync_column_owners ORDER BY tbl, col";

    private const string UpdateOwnerSql = "UPDATE unionsync_column_owners SET owner = @owner, updated_at = @now WHERE tbl = @tbl AND col = @col";

    private const string InsertOwnerSql = "INSERT INTO unionsync_column_owners (tbl, col, owner, updated_at) VALUES (@tbl, @col, @owner, @now)";

    private readonly DbDataSource _dataSource = dataSource;
    private readonly TimeProvider _timeProvider = timeProvider;
    private readonly Func<DateTime, object> _timestampValue = timestampValue;
    private readonly Func<DbDataReader, int, DateTime> _readTimestamp = readTimestamp;

    public async Task<PolicySet> GetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var fallbacks = new Dictionary<string, ConflictPolicy>(StringComparer.Ordinal);
        await foreach (var (table, name, _) in ReadTextRowsAsync(connection, SelectFallbacksSql, cancellationToken).ConfigureAwait(false))
        {
            fallbacks[table] = Known(name, "unionsync_policy_fallbacks", table);
        }

        var owners = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        await foreach (var (table, column, owner) in ReadTextRowsAsync(connection, SelectOwnersSql, cancellationToken).ConfigureAwait(false))
        {
            if (!owners.TryGetValue(table, out var columns))
            {
                owners[table] = columns = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            columns[column] = owner!;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = SelectPoliciesSql;
        var policies = new List<TablePolicy>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var table = reader.GetString(0);
            policies.Add(new TablePolicy(table, Known(reader.GetString(1), "unionsync_policies", table), _readTimestamp(reader, 2))
            {
                Fallback = fallbacks.GetValueOrDefault(table, ConflictPolicies.Default),
                Owners = owners.TryGetValue(table, out var columns) ? columns : new Dictionary<string, string>(StringComparer.Ordinal),
            });
        }

        return new PolicySet(policies);
    }

    public async Task SetAsync(PolicyChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrEmpty(change.Table);
        var now = _timestampValue(_timeProvider.GetUtcNow().UtcDateTime);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new List<(string, object?)> { ("@tbl", change.Table), ("@now", now), ("@policy", change.Policy.Name()) };
        await UpsertAsync(transaction, UpdatePolicySql, InsertPolicySql, parameters, cancellationToken).ConfigureAwait(false);
        if (change.Fallback is { } fallback)
        {
            parameters.Add(("@fallback", ConflictPolicies.EnsureFallback(fallback).Name()));
            await UpsertAsync(transaction, UpdateFallbackSql, InsertFallbackSql, parameters, cancellationToken).ConfigureAwait(false);
        }

        if (change.Column is { } column)
        {
            parameters.Add(("@col", column));
            parameters.Add(("@owner", ColumnOwners.Parse(change.Owner ?? throw new ArgumentException("A column is given without its owner.", nameof(change)))));
            await UpsertAsync(transaction, UpdateOwnerSql, InsertOwnerSql, parameters, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ConflictPolicy Known(string name, string source, string table) => ConflictPolicies.TryParse(name) ?? throw new Errors.SchemaMismatchException(
        $"{source} gives table {table} the policy '{name}', which this version of UnionSync does not know; use one of {string.Join(", ", ConflictPolicies.Names)}.");

    /// <summary>Rows of two or three text columns (a missing third is null).</summary>
    private static async IAsyncEnumerable<(string, string, string?)> ReadTextRowsAsync(
        DbConnection connection, string sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return (reader.GetString(0), reader.GetString(1), reader.FieldCount > 2 ? reader.GetString(2) : null);
        }
    }

    /// <summary>Runs <paramref name="update"/>, and <paramref name="insert"/> when it changed no row; each takes the parameters it names.</summary>
    private static async Task UpsertAsync(
        DbTransaction transaction, string update, string insert, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        foreach (var sql in new[] { update, insert })
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters.Where(p => sql.Contains(p.Name, StringComparison.Ordinal)))
            {
                SqlSyncMetadata.AddParameter(command, name, value);
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                return;
            }
        }
    }
}
