using Microsoft.AspNetCore.Http.HttpResults;

namespace UnionSync.Hub.Errors;

/// <summary>
/// The hub's problem types: each a stable <c>type</c> URI and an <c>errorCode</c> extension that clients may switch on.
/// Details never carry a full identity number.
/// </summary>
internal static class HubProblems
{
    public const string ErrorCodeExtension = "errorCode";

    public const string OrganizationNotFound = "organization-not-found";
    public const string InvalidDepth = "invalid-depth";
    public const string InvalidMemberSearch = "invalid-member-search";
    public const string InvalidIdNumber = "invalid-id-number";
    public const string BadRequest = "bad-request";
    public const string DatabaseUnavailable = "database-unavailable";
    public const string DatabaseError = "database-error";
    public const string SchemaMismatch = "schema-mismatch";
    public const string Configuration = "configuration";
    public const string Internal = "internal-error";

    public static string TypeUri(string errorCode) => "urn:unionsync:hub:problem:" + errorCode;

    public static ProblemHttpResult NotFound(string errorCode, string detail) =>
        Create(StatusCodes.Status404NotFound, errorCode, "Not found", detail);

    public static ProblemHttpResult Invalid(string errorCode, string detail) =>
        Create(StatusCodes.Status400BadRequest, errorCode, "Invalid request", detail);

    private static ProblemHttpResult Create(int status, string errorCode, string title, string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            type: TypeUri(errorCode),
            extensions: new Dictionary<string, object?> { [ErrorCodeExtension] = errorCode });
}
