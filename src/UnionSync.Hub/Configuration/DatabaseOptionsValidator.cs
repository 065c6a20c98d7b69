using System.Data.Common;
using Microsoft.Extensions.Options;
using UnionSync.Sync.Providers;

namespace UnionSync.Hub.Configuration;

/// <summary>Checks <see cref="DatabaseOptions"/> at start; every failure names the setting and the value it got (a connection string masked).</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!DatabaseSpec.KnownProviders.Contains(options.Provider))
        {
            return ValidateOptionsResult.Fail(
                $"{DatabaseOptions.ProviderKey} is '{options.Provider}'; it must be one of {string.Join(", ", DatabaseSpec.KnownProviders)}.");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{DatabaseOptions.ConnectionStringKey} is empty; provider '{options.Provider}' needs one (only sqlite has a default).");
        }

        try
        {
            _ = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail(
                $"{DatabaseOptions.ConnectionStringKey} '{DatabaseSpec.Mask(options.ConnectionString)}' is not a connection string of KEY=VALUE pairs separated by ';'.");
        }

        return ValidateOptionsResult.Success;
    }
}
