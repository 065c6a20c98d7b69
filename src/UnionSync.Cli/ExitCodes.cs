namespace UnionSync.Cli;

/// <summary>The documented exit codes of every command (DESIGN §6).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and found a problem: differences, rejected rows, a database error.</summary>
    public const int Problem = 1;

    /// <summary>Bad usage or configuration: an unknown option, a bad database name, a target that cannot be used.</summary>
    public const int Usage = 2;
}
