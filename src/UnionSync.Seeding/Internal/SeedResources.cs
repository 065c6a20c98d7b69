namespace UnionSync.Seeding.Internal;

/// <summary>Reads the <c>seeds/*.json</c> files embedded in this assembly.</summary>
internal static class SeedResources
{
    private const string Prefix = "UnionSync.Seeds.";

    public static string ReadText(string fileName)
    {
        using var stream = typeof(SeedResources).Assembly.GetManifestResourceStream(Prefix + fileName)
            ?? throw new InvalidOperationException($"seeds/{fileName} is not embedded in {typeof(SeedResources).Assembly.GetName().Name}; check its csproj.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
