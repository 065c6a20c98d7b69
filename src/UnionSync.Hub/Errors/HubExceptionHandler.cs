using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using UnionSync.Sync.Errors;

namespace UnionSync.Hub.Errors;

/// <summary>
/// The one place where exceptions become HTTP responses: a status, a stable problem type and an <c>errorCode</c>.
/// It logs each failure once; exception messages reach the client only for bad requests, in a fixed wording.
/// </summary>
internal sealed class HubExceptionHandler : IExceptionHandler
{
    private readonly IProblemDetailsService _problemDetails;
    private readonly ILogger<HubExceptionHandler> _logger;

    public HubExceptionHandler(IProblemDetailsService problemDetails, ILogger<HubExceptionHandler> logger)
    {
        _problemDetails = problemDetails;
        _logger = logger;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, errorCode, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, HubProblems.BadRequest, "Bad request",
                "The request could not be read: check the JSON body, the query string and the Content-Type."),
            ProviderException { IsTransient: true } => (StatusCodes.Status503ServiceUnavailable, HubProblems.DatabaseUnavailable,
                "Database unavailable", "The hub database did not answer; retry later."),
            ProviderException => (StatusCodes.Status500InternalServerError, HubProblems.DatabaseError, "Database error", null),
            SchemaMismatchException => (StatusCodes.Status500InternalServerError, HubProblems.SchemaMismatch, "Schema mismatch", null),
            SyncConfigurationException => (StatusCodes.Status500InternalServerError, HubProblems.Configuration, "Configuration error", null),
            _ => (StatusCodes.Status500InternalServerError, HubProblems.Internal, "Internal error", (string?)null),
        };

        var request = httpContext.Request;
        if (status >= StatusCodes.Status500InternalServerError)
        {
            Log.RequestFailed(_logger, request.Method, request.Path, errorCode, exception);
        }
        else
        {
            Log.RequestRejected(_logger, request.Method, request.Path, errorCode);
        }

        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = HubProblems.TypeUri(errorCode),
            Extensions = { [HubProblems.ErrorCodeExtension] = errorCode },
        };
        return await _problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}
