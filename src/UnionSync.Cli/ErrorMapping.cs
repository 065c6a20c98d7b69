using System.Data.Common;
using System.Net.Sockets;
using UnionSync.Sync.Errors;

namespace UnionSync.Cli;

/// <summary>
/// The one place where exceptions become exit codes. Expected errors print their message, never a stack trace:
/// configuration and schema problems exit 2, database errors 1 (2 when the database cannot even be reached).
/// </summary>
internal static class ErrorMapping
{
    public static CommandFailure Map(Exception exception) => exception switch
    {
        SyncConfigurationException e => new(ExitCodes.Usage, e.Message),
        SchemaMismatchException e => new(ExitCodes.Usage, e.Message),
        VersionMismatchException e => new(ExitCodes.Usage, e.Message),
        ConflictNotQueuedException e => new(ExitCodes.Problem, e.Message),
        ReinitialiseRequiredException e => new(ExitCodes.Problem, e.Message),
        ProviderException { Kind: ProviderErrorKind.ConnectionFailure } e => new(ExitCodes.Usage, $"Cannot reach the database: {e.Message}"),
        ProviderException e => new(ExitCodes.Problem, $"The database refused the work: {e.Message}"),
        UnionSyncException e => new(ExitCodes.Problem, e.Message),
        DbException { InnerException: SocketException or TimeoutException } e => new(ExitCodes.Usage, $"Cannot reach the database: {e.Message}"),
        DbException e => new(ExitCodes.Problem, $"Database error: {e.Message}"),
        OperationCanceledException => new(ExitCodes.Problem, "Cancelled; nothing of the unfinished work was committed."),
        _ => new(ExitCodes.Problem, $"Unexpected {exception.GetType().Name}: {exception.Message}"),
    };
}
