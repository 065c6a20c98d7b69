namespace UnionSync.Sync.Providers;

/// <summary>One migration script: <c>Schema/NNN_name.sql</c> of a provider.</summary>
public sealed record SchemaMigration(int Version, string Name, string Script);
