namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>The embedded provisioning scripts (Tracking/provision.sql, Tracking/deprovision.sql), read once.</summary>
internal static class PostgresTrackingScripts
{
    /// <summary>The advisory lock that provisioning and deprovisioning take: the bytes of "UnionSyn" plus one.</summary>
    public const long ProvisionLockKey = 6155973667975297391;

    private static readonly Lazy<string> ProvisionText = new(() => Load("provision.sql"));
    private static readonly Lazy<string> DeprovisionText = new(() => Load("deprovision.sql"));

    public static string Provision => ProvisionText.Value;

    public static string Deprovision => DeprovisionText.Value;

    private static string Load(string fileName)
    {
        var name = "UnionSync.Postgres.Tracking." + fileName;
        using var stream = typeof(PostgresTrackingScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing from the PostgreSQL provider.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
