namespace UnionSync.Domain.Identity;

/// <summary>
/// GB 11643-1999 citizen identity numbers: 6-digit region, 8-digit birth date, 3-digit sequence
/// (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (<c>0</c>-<c>9</c> or <c>X</c>).
/// </summary>
public static class ChineseIdNumber
{
    public const int Length = 18;

    private static ReadOnlySpan<byte> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    private const string CheckCharacters = "10X98765432";

    /// <summary>The check character of the first 17 digits.</summary>
    /// <exception cref="ArgumentException">the span is not 17 ASCII digits.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException($"An identity number body has 17 digits, not {first17.Length}.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var digit = first17[i] - '0';
            if ((uint)digit > 9)
            {
                throw new ArgumentException($"An identity number body holds digits only; position {i + 1} is not one.", nameof(first17));
            }

            sum += digit * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }
}
