namespace UnionSync.Domain.Model;

public enum CardStatus
{
    Active,
    Lost,
    Cancelled,
}
