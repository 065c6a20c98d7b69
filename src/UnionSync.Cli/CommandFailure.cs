namespace UnionSync.Cli;

/// <summary>An exception turned into what the user sees: the exit code and a message that names what is wrong.</summary>
internal sealed record CommandFailure(int ExitCode, string Message);
