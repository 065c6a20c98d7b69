namespace UnionSync.Domain.Identity;

/// <summary>
/// A valid 18-character GB 32100 unified social credit code and its parts. Obtain one from
/// <see cref="UnifiedSocialCreditCode.Validate(string?)"/> or <see cref="UnifiedSocialCreditCode.TryParse"/>.
/// </summary>
public sealed class CreditCode : IEquatable<CreditCode>
{
    internal CreditCode(string value) => Value = value;

    /// <summary>The 18 characters, in upper case.</summary>
    public string Value { get; }

    /// <summary>Position 1: the registration authority (<c>9</c> market regulation, <c>5</c> civil affairs, <c>8</c> trade unions, ...).</summary>
    public char RegistrationAuthority => Value[0];

    /// <summary>Position 2: the organisation category within that authority (<c>91</c> enterprise, <c>92</c> individual business, ...).</summary>
    public char Category => Value[1];

    /// <summary>Positions 3-8: the GB/T 2260 division of the registration authority (<c>100000</c> for national ones).</summary>
    public string DivisionCode => Value[2..8];

    /// <summary>Positions 9-17: the GB 11714 organisation code, its own check character last.</summary>
    public string OrganizationCode => Value[8..17];

    /// <summary>Position 18.</summary>
    public char CheckCharacter => Value[17];

    public bool Equals(CreditCode? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CreditCode);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;
}
