using Microsoft.Extensions.Options;

namespace UnionSync.Hub.Configuration;

/// <summary>Fills in what configuration left out: the provider name in lower case, and the embedded SQLite file under the content root.</summary>
internal sealed class DatabaseOptionsDefaults : IPostConfigureOptions<DatabaseOptions>
{
    private readonly IHostEnvironment _environment;

    public DatabaseOptionsDefaults(IHostEnvironment environment)
    {
        _environment = environment;
    }

    public void PostConfigure(string? name, DatabaseOptions options)
    {
        options.Provider = (options.Provider ?? string.Empty).Trim().ToLowerInvariant();
        if (options.Provider == "sqlite" && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            options.ConnectionString = "Data Source=" + Path.Combine(_environment.ContentRootPath, DatabaseOptions.DefaultSqliteFile);
        }
    }
}
