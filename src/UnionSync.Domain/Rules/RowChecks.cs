using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Rules;

/// <summary>Checks that all three tables share: ids, names, statuses, credit codes and the <c>created_at</c>/<c>updated_at</c> pair.</summary>
internal static class RowChecks
{
    public static void Id(ViolationCollector violations, string table, string column, Guid id)
    {
        if (id == Guid.Empty)
        {
            violations.Add(column, $"{table}.{column} is the empty UUID; give the row a real one (version 7 when the project generates it).");
        }
    }

    public static void Name(ViolationCollector violations, string table, string? name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            violations.Add("name", $"{table}.name is empty; every row needs a name.");
        }
        else if (name.Length > maxLength)
        {
            violations.Add("name", $"{table}.name has {name.Length} characters; at most {maxLength} are allowed.");
        }
        else if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            violations.Add("name", $"{table}.name has leading or trailing white space; store it trimmed.");
        }
        else if (name.Any(char.IsControl))
        {
            violations.Add("name", $"{table}.name holds a control character (a tab, a line break, ...); remove it.");
        }
    }

    public static void Status<TStatus>(ViolationCollector violations, string table, TStatus status)
        where TStatus : struct, Enum
    {
        if (!Enum.IsDefined(status))
        {
            violations.Add("status", $"{table}.status has the undefined value {status}; use one of {string.Join(", ", Enum.GetNames<TStatus>())}.");
        }
    }

    public static void Timestamps(ViolationCollector violations, string table, DateTime createdAt, DateTime updatedAt)
    {
        if (createdAt.Kind != DateTimeKind.Utc)
        {
            violations.Add("created_at", $"{table}.created_at is {createdAt.Kind} time; timestamps are UTC (DateTimeKind.Utc).");
        }

        if (updatedAt.Kind != DateTimeKind.Utc)
        {
            violations.Add("updated_at", $"{table}.updated_at is {updatedAt.Kind} time; timestamps are UTC (DateTimeKind.Utc).");
        }

        if (updatedAt < createdAt)
        {
            violations.Add("updated_at", $"{table}.updated_at {updatedAt:O} is before created_at {createdAt:O}; a row is updated after it is created.");
        }
    }

    /// <summary>A nullable credit-code column: null, or a valid code in its upper-case stored form.</summary>
    public static void CreditCode(ViolationCollector violations, string table, string column, string? code)
    {
        if (code is null)
        {
            return;
        }

        var result = UnifiedSocialCreditCode.Validate(code);
        if (!result.IsValid)
        {
            violations.Add(column, $"{table}.{column}: {result.Error} Store a valid code or null.");
        }
        else if (!string.Equals(result.Value.Value, code, StringComparison.Ordinal))
        {
            violations.Add(column, $"{table}.{column} '{code}' is valid but not upper case; store '{result.Value.Value}'.");
        }
    }
}
