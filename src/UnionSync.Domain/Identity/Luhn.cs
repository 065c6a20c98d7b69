namespace UnionSync.Domain.Identity;

/// <summary>The Luhn (ISO/IEC 7812-1 "mod 10") check digit of card numbers.</summary>
public static class Luhn
{
    /// <summary>The digit to append to <paramref name="payload"/> so that the whole number passes <see cref="IsValid"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is empty or holds a character that is no ASCII digit.</exception>
    public static char ComputeCheckDigit(ReadOnlySpan<char> payload)
    {
        if (payload.IsEmpty)
        {
            throw new ArgumentException("A Luhn payload has at least one digit.", nameof(payload));
        }

        // The check digit will sit right of the payload, so the payload's last digit is the first one doubled.
        var sum = Sum(payload, doubleLast: true);
        return sum < 0
            ? throw new ArgumentException("A Luhn payload holds ASCII digits only.", nameof(payload))
            : (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>True when <paramref name="number"/> is at least two ASCII digits and its last digit is its Luhn check digit.</summary>
    public static bool IsValid(ReadOnlySpan<char> number) => number.Length >= 2 && Sum(number, doubleLast: false) is var sum and >= 0 && sum % 10 == 0;

    /// <summary>The Luhn sum, or -1 when a character is no digit.</summary>
    private static int Sum(ReadOnlySpan<char> digits, bool doubleLast)
    {
        var sum = 0;
        var doubleIt = doubleLast;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if ((uint)digit > 9)
            {
                return -1;
            }

            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return sum;
    }
}
