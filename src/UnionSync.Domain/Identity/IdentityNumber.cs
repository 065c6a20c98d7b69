namespace UnionSync.Domain.Identity;

/// <summary>
/// A valid 18-character GB 11643 citizen identity number and what it encodes. Obtain one from
/// <see cref="ChineseIdNumber.Validate(string?)"/>, <see cref="ChineseIdNumber.TryParse(string?, out IdentityNumber?)"/>
/// or <see cref="ChineseIdNumber.Parse(string)"/>. <see cref="ToString"/> is masked; <see cref="Value"/> is the full number.
/// </summary>
public sealed class IdentityNumber : IEquatable<IdentityNumber>
{
    internal IdentityNumber(string value, DateOnly birthDate)
    {
        Value = value;
        BirthDate = birthDate;
    }

    /// <summary>The 18 characters, check character <c>X</c> in upper case. Personal data: mask it with <see cref="Redact.IdNumber"/>.</summary>
    public string Value { get; }

    /// <summary>Positions 1-6: the GB/T 2260 division where the number was first issued.</summary>
    public string RegionCode => Value[..6];

    /// <summary>Positions 7-14.</summary>
    public DateOnly BirthDate { get; }

    /// <summary>Positions 15-17, 0-999.</summary>
    public int SequenceCode => ((Value[14] - '0') * 100) + ((Value[15] - '0') * 10) + (Value[16] - '0');

    /// <summary>Odd sequence codes are men, even ones women.</summary>
    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>Position 18: <c>0</c>-<c>9</c> or <c>X</c>.</summary>
    public char CheckCharacter => Value[17];

    /// <summary>Completed years of age on <paramref name="today"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="today"/> is before the birth date.</exception>
    public int AgeOn(DateOnly today) => ChineseIdNumber.AgeOn(BirthDate, today);

    /// <summary>The day the holder turns <paramref name="years"/> (a 29 February birthday falls on 28 February in common years).</summary>
    public DateOnly BirthdayAt(int years) => BirthDate.AddYears(years);

    public bool Equals(IdentityNumber? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as IdentityNumber);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The masked number, e.g. <c>110105********002X</c>, so that logging the value leaks nothing.</summary>
    public override string ToString() => Redact.IdNumber(Value);
}
