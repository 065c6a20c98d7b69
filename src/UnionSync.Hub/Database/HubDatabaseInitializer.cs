using System.Data.Common;
using Microsoft.Extensions.Options;
using UnionSync.Hub.Configuration;
using UnionSync.Seeding;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Queries;

namespace UnionSync.Hub.Database;

/// <summary>Brings the hub database up to date at start: migrates the schema, then loads the demo federation into an empty database.</summary>
internal sealed class HubDatabaseInitializer
{
    private readonly IDatabaseProvider _provider;
    private readonly IFederationQueries _queries;
    private readonly IOptions<DatabaseOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<HubDatabaseInitializer> _logger;

    public HubDatabaseInitializer(
        IDatabaseProvider provider,
        IFederationQueries queries,
        IOptions<DatabaseOptions> options,
        TimeProvider timeProvider,
        ILogger<HubDatabaseInitializer> logger)
    {
        _provider = provider;
        _queries = queries;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <exception cref="ProviderException">the database cannot be reached or migrated; the message names the setting.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Log.DatabaseOpening(_logger, _provider.Describe());
        try
        {
            await MigrateAndSeedAsync(cancellationToken);
        }
        catch (DbException exception)
        {
            throw new ProviderException(
                $"The hub database {_provider.Describe()} ({DatabaseOptions.ConnectionStringKey}) cannot be used: {exception.Message}",
                ProviderErrorKind.ConnectionFailure,
                exception.IsTransient,
                exception);
        }
    }

    private async Task MigrateAndSeedAsync(CancellationToken cancellationToken)
    {
        var applied = await _provider.Schema.MigrateAsync(cancellationToken);
        var version = await _provider.Schema.GetVersionAsync(cancellationToken);
        Log.SchemaReady(_logger, version, applied.Count);

        if (await _queries.HasOrganizationsAsync(cancellationToken))
        {
            Log.DemoFederationNotNeeded(_logger);
            return;
        }

        if (!_options.Value.LoadDemoFederation)
        {
            Log.DemoFederationDisabled(_logger, DatabaseOptions.LoadDemoFederationKey);
            return;
        }

        Log.DemoFederationLoading(_logger);
        var started = _timeProvider.GetTimestamp();
        var result = await new FederationGenerator().GenerateAsync(_provider, DemoFederation.Options, null, cancellationToken);
        Log.DemoFederationLoaded(
            _logger, result.Organizations, result.Members, result.Cards, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }
}
