using Microsoft.Extensions.Options;
using UnionSync.Sync.Errors;

namespace UnionSync.Hub.Errors;

/// <summary>
/// Turns a failure at start into the one line the hub prints before it exits: a bad setting exits 2 (DESIGN §6),
/// a database that cannot be reached or migrated exits 1. Messages name the setting and never hold a password.
/// </summary>
internal static class StartupErrors
{
    public static bool IsStartupError(Exception exception) =>
        exception is OptionsValidationException or SyncConfigurationException or ProviderException or SchemaMismatchException;

    public static int ExitCode(Exception exception) => IsConfigurationError(exception) ? 2 : 1;

    public static string OneLine(Exception exception)
    {
        var message = exception is OptionsValidationException validation
            ? string.Join(" ", validation.Failures)
            : exception.Message;
        var kind = IsConfigurationError(exception) ? "configuration error" : "database error";
        return $"UnionSync.Hub: {kind}: {message.ReplaceLineEndings(" ")}";
    }

    private static bool IsConfigurationError(Exception exception) => exception is OptionsValidationException or SyncConfigurationException;
}
