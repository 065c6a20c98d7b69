using Microsoft.Data.Sqlite;

namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>
/// Commands of one transaction, created once per statement text with their parameters, then reused for every row:
/// Microsoft.Data.Sqlite keeps the prepared statements of a command between executions.
/// </summary>
internal sealed class SqliteStatementCache : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteStatementCache(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>The command for <paramref name="sql"/>; its parameters are <paramref name="parameterNames"/>, in that order.</summary>
    public SqliteCommand Get(string sql, params ReadOnlySpan<string> parameterNames)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        _commands.Add(sql, command);
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        _commands.Clear();
    }
}
