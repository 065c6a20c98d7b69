namespace UnionSync.Domain.Identity;

/// <summary>
/// GB 11714-1997 organisation codes: 8 body characters (digits and capital letters) and a MOD 11 check character.
/// Positions 9-17 of a unified social credit code hold one.
/// </summary>
public static class OrganizationCode
{
    public const int Length = 9;

    private static ReadOnlySpan<byte> Weights => [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>
    /// The check character of the 8 body characters, valued 0-9 and <c>A</c>=10 ... <c>Z</c>=35:
    /// 11 - (weighted sum mod 11), where 10 is written <c>X</c> and 11 is written <c>0</c>.
    /// </summary>
    /// <exception cref="ArgumentException">the span is not 8 ASCII digits or capital letters.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first8)
    {
        if (first8.Length != Length - 1)
        {
            throw new ArgumentException($"An organisation code body has 8 characters, not {first8.Length}.", nameof(first8));
        }

        var sum = 0;
        for (var i = 0; i < first8.Length; i++)
        {
            var value = ValueOf(first8[i]);
            if (value < 0)
            {
                throw new ArgumentException($"Position {i + 1} of an organisation code body is '{first8[i]}', not a digit or capital letter.", nameof(first8));
            }

            sum += value * Weights[i];
        }

        return (11 - (sum % 11)) switch
        {
            10 => 'X',
            11 => '0',
            var check => (char)('0' + check),
        };
    }

    /// <summary>True when <paramref name="code"/> is 8 body characters followed by their check character.</summary>
    public static bool IsValid(ReadOnlySpan<char> code)
    {
        if (code.Length != Length)
        {
            return false;
        }

        foreach (var c in code[..^1])
        {
            if (ValueOf(c) < 0)
            {
                return false;
            }
        }

        return ComputeCheckCharacter(code[..^1]) == code[^1];
    }

    private static int ValueOf(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };
}
