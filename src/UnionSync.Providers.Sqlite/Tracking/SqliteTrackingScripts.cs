namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>The embedded provisioning scripts (<c>Tracking/*.sql</c>), read once.</summary>
internal static class SqliteTrackingScripts
{
    private static readonly Lazy<string> ProvisionScript = new(() => Load("provision"));
    private static readonly Lazy<string> DeprovisionScript = new(() => Load("deprovision"));

    public static string Provision => ProvisionScript.Value;

    public static string Deprovision => DeprovisionScript.Value;

    private static string Load(string name)
    {
        var resource = $"UnionSync.Tracking.{name}.sql";
        using var stream = typeof(SqliteTrackingScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded script {resource} is missing from the SQLite provider.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
