namespace UnionSync.Seeding.Configuration;

/// <summary>The shares of member statuses; they are weights, so they need not sum to exactly 1.</summary>
public sealed record MemberStatusShares(double Active, double Transferred, double Left);
