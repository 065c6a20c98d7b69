namespace UnionSync.Seeding.Configuration;

/// <summary>A bank issuing member service cards: its name, a 6-digit card BIN, and its share of the cards.</summary>
public sealed record BankEntry(string Name, string Bin, double Weight);
