using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using UnionSync.Hub.Configuration;
using UnionSync.Hub.Database;
using UnionSync.Hub.Errors;
using UnionSync.Hub.Health;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Queries;

namespace UnionSync.Hub.Extensions;

/// <summary>The hub's services: configuration, the database and its read model, errors and health.</summary>
internal static class HubServiceExtensions
{
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public static WebApplicationBuilder AddHubServices(this WebApplicationBuilder builder)
    {
        // Defaults below every other source, so that a hub started outside its folder (without appsettings.json)
        // logs as quietly as one started inside it, and any source can still override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<DatabaseOptions>, DatabaseOptionsDefaults>();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddSingleton(new ProviderRegistry(HubDatabaseFactory.ProviderFactories));
        services.AddSingleton(HubDatabaseFactory.Open);
        services.AddSingleton(HubDatabaseFactory.CreateQueries);
        services.AddSingleton<HubDatabaseInitializer>();

        services.AddProblemDetails();
        services.AddExceptionHandler<HubExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }
}
