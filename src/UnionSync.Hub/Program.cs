using UnionSync.Hub.Errors;
using UnionSync.Hub.Extensions;

// The city hub (DESIGN §2, §6). With no configuration it runs on SQLite in data/hub.db under the content root
// and loads the demo federation on first start; see README.md for the settings.
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddHubServices();

    var app = builder.Build();
    app.MapHub();
    await app.InitializeHubDatabaseAsync(app.Lifetime.ApplicationStopping);
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (StartupErrors.IsStartupError(exception))
{
    // A bad setting or an unusable database is reported in one line that names the setting, without a stack trace.
    await Console.Error.WriteLineAsync(StartupErrors.OneLine(exception));
    return StartupErrors.ExitCode(exception);
}
