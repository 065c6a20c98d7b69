using System.Numerics;

namespace UnionSync.Domain.Tests;

/// <summary>
/// The test's own check-character arithmetic, written differently from the production code (weights derived as powers
/// rather than read from a table, alphabets built by filtering, Luhn by trial), so that a shared mistake cannot pass.
/// </summary>
internal static class IndependentCheck
{
    /// <summary>All capital letters except I, O, Z, S and V, after the ten digits.</summary>
    public static readonly string CreditAlphabet = string.Concat(
        "0123456789",
        string.Concat(Enumerable.Range('A', 26).Select(c => (char)c).Where(c => !"IOZSV".Contains(c, StringComparison.Ordinal))));

    /// <summary>ISO 7064 MOD 11-2: weights 2^(17-i) mod 11; the check c makes (sum + c) mod 11 equal 1.</summary>
    public static char IdCheckCharacter(string body17)
    {
        var sum = BigInteger.Zero;
        for (var i = 0; i < 17; i++)
        {
            sum += (body17[i] - '0') * BigInteger.ModPow(2, 17 - i, 11);
        }

        var check = (int)((12 - (sum % 11)) % 11);
        return check == 10 ? 'X' : (char)('0' + check);
    }

    /// <summary>GB 32100: weights 3^i mod 31 over the 31-symbol alphabet; the check makes the sum divisible by 31.</summary>
    public static char CreditCheckCharacter(string body17)
    {
        var sum = 0L;
        for (var i = 0; i < 17; i++)
        {
            sum += CreditAlphabet.IndexOf(body17[i], StringComparison.Ordinal) * (long)BigInteger.ModPow(3, i, 31);
        }

        for (var candidate = 0; candidate < 31; candidate++)
        {
            if ((sum + candidate) % 31 == 0)
            {
                return CreditAlphabet[candidate];
            }
        }

        throw new InvalidOperationException("unreachable: some residue completes the sum");
    }

    /// <summary>GB 11714: weights 2^(8-i) mod 11, values 0-9 then A=10..Z=35 (base-36 digits).</summary>
    public static char OrganizationCheckCharacter(string body8)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var value = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".IndexOf(body8[i], StringComparison.Ordinal);
            sum += value * (int)BigInteger.ModPow(2, 8 - i, 11);
        }

        var check = 11 - (sum % 11);
        return check switch
        {
            10 => 'X',
            11 => '0',
            _ => check.ToString(System.Globalization.CultureInfo.InvariantCulture)[0],
        };
    }

    /// <summary>Luhn by trial: the digit d for which the full number's doubled-from-the-right sum ends in 0.</summary>
    public static char LuhnCheckDigit(string payload)
    {
        for (var d = '0'; d <= '9'; d++)
        {
            if (LuhnSumEndsInZero(payload + d))
            {
                return d;
            }
        }

        throw new InvalidOperationException("unreachable: one digit always completes the sum");
    }

    public static bool LuhnSumEndsInZero(string number)
    {
        // Reverse the digits; every second one (odd index) is doubled and its digits added.
        var reversed = number.Reverse().Select(c => c - '0').ToArray();
        var sum = reversed.Select((digit, index) => index % 2 == 0 ? digit : (digit * 2 / 10) + (digit * 2 % 10)).Sum();
        return sum % 10 == 0;
    }
}
