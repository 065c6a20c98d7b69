using System.Text.Json.Serialization;

namespace UnionSync.Benchmarks;

/// <summary>The JSON line between a <c>sync-once</c> child and the benchmark process.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TimedSync))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
