using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UnionSync.Hub.Api;
using UnionSync.Hub.Database;

namespace UnionSync.Hub.Extensions;

/// <summary>The hub's request pipeline, its endpoints, and what it does once at start.</summary>
internal static class HubApplicationExtensions
{
    public static WebApplication MapHub(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health");
        app.MapOrganizationEndpoints();
        app.MapMemberEndpoints();
        return app;
    }

    /// <summary>Migrates the database and loads the demo federation into an empty one, before the hub listens.</summary>
    public static async Task InitializeHubDatabaseAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<HubDatabaseInitializer>().InitializeAsync(cancellationToken);
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
    }

    private static void LogStarted(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("UnionSync.Hub");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Log.Listening(logger, address);
        }

        using var process = Process.GetCurrentProcess();
        var sinceStart = app.Services.GetRequiredService<TimeProvider>().GetUtcNow() - process.StartTime.ToUniversalTime();
        Log.Started(logger, (long)sinceStart.TotalMilliseconds);
    }
}
