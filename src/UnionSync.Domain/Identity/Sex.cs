namespace UnionSync.Domain.Identity;

/// <summary>The sex that GB 11643 encodes in the parity of the sequence code (odd: male, even: female).</summary>
public enum Sex
{
    Male,
    Female,
}
