using UnionSync.Sync.Errors;

namespace UnionSync.Sync.Providers;

/// <summary>A database named as <c>PROVIDER:CONNECTION-STRING</c> (DESIGN §6), e.g. <c>sqlite:Data Source=grassroots.db</c>.</summary>
public sealed record DatabaseSpec(string Provider, string ConnectionString)
{
    public static IReadOnlyList<string> KnownProviders { get; } = ["sqlite", "postgres", "sqlserver"];

    /// <exception cref="SyncConfigurationException">the text has no known provider prefix or no connection string.</exception>
    public static DatabaseSpec Parse(string text, string settingName = "database")
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new SyncConfigurationException(
                $"The {settingName} '{Mask(text)}' must be PROVIDER:CONNECTION-STRING, the provider one of {string.Join(", ", KnownProviders)} " +
                "(e.g. sqlite:Data Source=grassroots.db).");
        }

        var provider = text[..colon].Trim().ToLowerInvariant();
        var connectionString = text[(colon + 1)..].Trim();
        if (!KnownProviders.Contains(provider))
        {
            throw new SyncConfigurationException(
                $"The {settingName} names provider '{text[..colon]}', which is not one of {string.Join(", ", KnownProviders)}.");
        }

        if (connectionString.Length == 0)
        {
            throw new SyncConfigurationException($"The {settingName} names provider '{provider}' but no connection string after the colon.");
        }

        return new DatabaseSpec(provider, connectionString);
    }

    public override string ToString() => $"{Provider}:{Mask(ConnectionString)}";

    /// <summary>Hides the value of any password keyword so that the text can appear in a message.</summary>
    public static string Mask(string connectionString)
    {
        var parts = connectionString.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                var key = parts[i][..eq].Trim();
                if (key.Equals("password", StringComparison.OrdinalIgnoreCase) || key.Equals("pwd", StringComparison.OrdinalIgnoreCase))
                {
                    parts[i] = parts[i][..(eq + 1)] + "***";
                }
            }
        }

        return string.Join(';', parts);
    }
}
