namespace UnionSync.Seeding.Internal;

/// <summary>
/// Scales the federation from its member count: organisations and cards in the real federation's proportions,
/// districts with the square root (so that a small federation still has a few), streets linearly.
/// </summary>
internal static class ShapeCalculator
{
    public static FederationShape Compute(GeneratorOptions options)
    {
        var profile = options.Profile;
        var scale = profile.FullScale;
        var members = options.Members;
        var organizations = (long)Math.Round((double)members * scale.Organizations / scale.Members, MidpointRounding.ToEven);
        var districts = (int)Math.Clamp(
            Math.Round(scale.Districts * Math.Sqrt((double)organizations / scale.Organizations), MidpointRounding.ToEven),
            profile.MinimumDistricts,
            scale.Districts);
        var streets = (int)Math.Max(districts, Math.Round((double)scale.Streets * organizations / scale.Organizations, MidpointRounding.ToEven));
        var grassroots = (int)Math.Max(1, organizations - 1 - districts - streets);
        var cards = (long)Math.Round((double)members * scale.Cards / scale.Members, MidpointRounding.ToEven);
        return new FederationShape(districts, streets, grassroots, members, cards);
    }
}
