namespace UnionSync.Hub.Configuration;

/// <summary>The hub database, bound to <c>UnionSync:Database</c> (appsettings, or environment variables such as <c>UnionSync__Database__Provider</c>).</summary>
internal sealed class DatabaseOptions
{
    public const string SectionName = "UnionSync:Database";

    public const string ProviderKey = SectionName + ":Provider";

    public const string ConnectionStringKey = SectionName + ":ConnectionString";

    public const string LoadDemoFederationKey = SectionName + ":LoadDemoFederation";

    /// <summary>The default database file, relative to the content root.</summary>
    public static readonly string DefaultSqliteFile = Path.Combine("data", "hub.db");

    /// <summary><c>sqlite</c> (the default), <c>postgres</c> or <c>sqlserver</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>The provider's connection string; for <c>sqlite</c> it defaults to <c>data/hub.db</c> under the content root.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether an empty database receives the small demo federation at start (default true).</summary>
    public bool LoadDemoFederation { get; set; } = true;
}
