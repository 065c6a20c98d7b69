namespace UnionSync.Domain.Model;

public enum OrganizationStatus
{
    Active,
    Dissolved,
}
