namespace UnionSync.Domain.Model;

public enum MemberStatus
{
    Active,
    Transferred,
    Left,
}
