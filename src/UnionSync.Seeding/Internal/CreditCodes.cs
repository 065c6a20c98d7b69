using System.Globalization;
using UnionSync.Domain.Identity;

namespace UnionSync.Seeding.Internal;

/// <summary>
/// Builds GB 32100 unified social credit codes: registration authority, category, 6-digit region, a 9-character
/// GB 11714 organisation code (8 digits and its own check character) and the MOD 31 check character.
/// </summary>
internal static class CreditCodes
{
    /// <summary>Registration authority 9 (market regulation), category 1 (enterprise).</summary>
    public const string Enterprise = "91";

    public const ulong OrganizationNumberSpace = 100_000_000;

    public static string Create(string prefix, string regionCode, ulong organizationNumber)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(organizationNumber, OrganizationNumberSpace);
        Span<char> code = stackalloc char[UnifiedSocialCreditCode.Length];
        prefix.AsSpan().CopyTo(code);
        regionCode.AsSpan().CopyTo(code[2..]);
        organizationNumber.TryFormat(code[8..16], out _, "D8", CultureInfo.InvariantCulture);
        code[16] = OrganizationCode.ComputeCheckCharacter(code[8..16]);
        code[17] = UnifiedSocialCreditCode.ComputeCheckCharacter(code[..17]);
        return new string(code);
    }
}
