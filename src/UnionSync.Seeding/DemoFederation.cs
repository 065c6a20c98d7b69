using System.Text.Json;
using UnionSync.Seeding.Internal;

namespace UnionSync.Seeding;

/// <summary>The small demo federation of <c>seeds/demo-federation.json</c>: about 2,000 members from a fixed seed.</summary>
public static class DemoFederation
{
    private static readonly Lazy<GeneratorOptions> Demo = new(Load);

    public static GeneratorOptions Options => Demo.Value;

    private static GeneratorOptions Load()
    {
        var file = JsonSerializer.Deserialize<DemoFederationFile>(SeedResources.ReadText("demo-federation.json"), Configuration.GeneratorProfile.JsonOptions)
            ?? throw new InvalidOperationException("seeds/demo-federation.json is empty.");
        var options = new GeneratorOptions
        {
            Members = file.Members,
            Seed = file.Seed,
            ReferenceDate = file.ReferenceDate,
        };
        options.Validate();
        return options;
    }
}
