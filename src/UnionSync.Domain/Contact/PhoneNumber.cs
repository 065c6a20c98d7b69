namespace UnionSync.Domain.Contact;

/// <summary>
/// A valid mainland phone number in its stored form: a mobile as 11 digits (<c>13812345678</c>), a fixed line as
/// area code, hyphen, local number (<c>010-62345678</c>). <see cref="ToString"/> is masked.
/// </summary>
public sealed class PhoneNumber : IEquatable<PhoneNumber>
{
    internal PhoneNumber(string value, PhoneKind kind, string? areaCode)
    {
        Value = value;
        Kind = kind;
        AreaCode = areaCode;
    }

    /// <summary>The normalised number. Personal data: mask it with <see cref="Redact.Phone"/>.</summary>
    public string Value { get; }

    public PhoneKind Kind { get; }

    /// <summary>The area code with its trunk prefix (<c>010</c>, <c>0571</c>), or <see langword="null"/> for a mobile.</summary>
    public string? AreaCode { get; }

    public bool Equals(PhoneNumber? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as PhoneNumber);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Redact.Phone(Value);
}
