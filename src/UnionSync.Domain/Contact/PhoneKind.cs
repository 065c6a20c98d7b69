namespace UnionSync.Domain.Contact;

public enum PhoneKind
{
    /// <summary>11 digits, <c>1[3-9]</c> then nine more.</summary>
    Mobile,

    /// <summary>A trunk prefix 0, a 2- or 3-digit area code and a 7- or 8-digit local number.</summary>
    FixedLine,
}
