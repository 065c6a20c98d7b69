using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UnionSync.Sync.Providers;

namespace UnionSync.Hub.Tests;

/// <summary>The hub in process (<see cref="WebApplicationFactory{TEntryPoint}"/>) on one database, configured as an operator would.</summary>
public sealed class HubApplication : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public HubApplication(string provider, string connectionString)
    {
        _settings = new Dictionary<string, string?>
        {
            ["UnionSync:Database:Provider"] = provider,
            ["UnionSync:Database:ConnectionString"] = connectionString,
        };
    }

    public CollectingLoggerProvider Logs { get; } = new();

    /// <summary>The hub's own provider, for checks written in plain SQL.</summary>
    public IDatabaseProvider Database => Services.GetRequiredService<IDatabaseProvider>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}
