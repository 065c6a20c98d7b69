namespace UnionSync.Domain.Model;

/// <summary>The lowercase words that the tables store for each status (DESIGN §3).</summary>
public static class StatusText
{
    public static string ToText(OrganizationStatus status) => status switch
    {
        OrganizationStatus.Active => "active",
        OrganizationStatus.Dissolved => "dissolved",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToText(MemberStatus status) => status switch
    {
        MemberStatus.Active => "active",
        MemberStatus.Transferred => "transferred",
        MemberStatus.Left => "left",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToText(CardStatus status) => status switch
    {
        CardStatus.Active => "active",
        CardStatus.Lost => "lost",
        CardStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? text, out OrganizationStatus status) => TryParseEnum(text, ToText, out status);

    public static bool TryParse(string? text, out MemberStatus status) => TryParseEnum(text, ToText, out status);

    public static bool TryParse(string? text, out CardStatus status) => TryParseEnum(text, ToText, out status);

    private static bool TryParseEnum<T>(string? text, Func<T, string> toText, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(toText(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
