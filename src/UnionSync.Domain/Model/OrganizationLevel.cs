namespace UnionSync.Domain.Model;

/// <summary>The four levels of the federation tree; the numeric value is the stored <c>level</c>.</summary>
public enum OrganizationLevel
{
    City = 1,
    District = 2,
    Street = 3,
    Grassroots = 4,
}
