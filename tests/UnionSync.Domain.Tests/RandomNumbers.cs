using System.Globalization;

namespace UnionSync.Domain.Tests;

/// <summary>Random but valid numbers from a seeded <see cref="Random"/>, their check characters computed by <see cref="IndependentCheck"/>.</summary>
internal static class RandomNumbers
{
    private static readonly string[] Regions = ["110105", "120101", "310104", "320102", "330106", "370202", "420102", "440305", "510107", "650102"];

    private static readonly string[] CreditPrefixes = ["11", "12", "31", "51", "52", "53", "81", "91", "92", "93", "A1", "N2", "Y1"];

    private static readonly string[] Divisions = ["100000", "110000", "110105", "310115", "330100", "440300", "500103", "610113"];

    public static string IdNumber(Random random)
    {
        var birth = new DateOnly(1930, 1, 1).AddDays(random.Next(0, 79 * 365));
        var body = string.Create(
            CultureInfo.InvariantCulture,
            $"{Regions[random.Next(Regions.Length)]}{birth:yyyyMMdd}{random.Next(0, 1000):D3}");
        return body + IndependentCheck.IdCheckCharacter(body);
    }

    public static string CreditCode(Random random)
    {
        var organizationBody = new string(Enumerable.Range(0, 8).Select(_ => IndependentCheck.CreditAlphabet[random.Next(31)]).ToArray());
        var body = string.Concat(
            CreditPrefixes[random.Next(CreditPrefixes.Length)],
            Divisions[random.Next(Divisions.Length)],
            organizationBody,
            IndependentCheck.OrganizationCheckCharacter(organizationBody).ToString());
        return body + IndependentCheck.CreditCheckCharacter(body);
    }

    public static string CardNumber(Random random, int length)
    {
        var payload = "62" + new string(Enumerable.Range(0, length - 3).Select(_ => (char)('0' + random.Next(10))).ToArray());
        return payload + IndependentCheck.LuhnCheckDigit(payload);
    }

    /// <summary>Every string that differs from <paramref name="value"/> in exactly one position, drawn from <paramref name="symbols"/>.</summary>
    public static IEnumerable<(int Position, string Mutant)> SingleSubstitutions(string value, string symbols, int positions)
    {
        for (var i = 0; i < positions; i++)
        {
            foreach (var symbol in symbols)
            {
                if (symbol != value[i])
                {
                    var chars = value.ToCharArray();
                    chars[i] = symbol;
                    yield return (i + 1, new string(chars));
                }
            }
        }
    }
}
