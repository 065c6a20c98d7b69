using Microsoft.Extensions.Diagnostics.HealthChecks;
using UnionSync.Sync.Queries;

namespace UnionSync.Hub.Health;

/// <summary>Opens a connection to the hub database and runs a trivial query; unhealthy when that fails.</summary>
internal sealed class DatabaseHealthCheck : IHealthCheck
{
    private readonly IFederationQueries _queries;

    public DatabaseHealthCheck(IFederationQueries queries)
    {
        _queries = queries;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hasData = await _queries.HasOrganizationsAsync(cancellationToken);
            return HealthCheckResult.Healthy(hasData ? "The database answers." : "The database answers; it holds no organisations.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database does not answer.", exception);
        }
    }
}
