using UnionSync.Seeding.Configuration;

namespace UnionSync.Seeding.Internal;

/// <summary>Everything fixed before the first row: the options, the shape, the compiled profile and the keyed permutations.</summary>
internal sealed class GenerationPlan
{
    private const ulong CardNumberSpace = 1_000_000_000_000;

    private GenerationPlan(GeneratorOptions options)
    {
        Options = options;
        Seed = unchecked((ulong)options.Seed);
        Profile = new CompiledProfile(options.Profile);
        Shape = ShapeCalculator.Compute(options);
        Reference = options.ReferenceDate;
        ReferenceInstant = Reference.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        CardOwnership = new FeistelPermutation((ulong)options.Members, StableHash.Combine(Seed, (ulong)StreamTag.CardOwnership));
        CardNumbers = new FeistelPermutation(CardNumberSpace, StableHash.Combine(Seed, (ulong)StreamTag.CardNumber));
        CreditNumbers = new FeistelPermutation(CreditCodes.OrganizationNumberSpace, StableHash.Combine(Seed, (ulong)StreamTag.CreditCode));
    }

    public GeneratorOptions Options { get; }

    public ulong Seed { get; }

    public CompiledProfile Profile { get; }

    public GeneratorProfile Source => Profile.Source;

    public FederationShape Shape { get; }

    public DateOnly Reference { get; }

    /// <summary>Midnight UTC of the reference date: every generated timestamp is before it.</summary>
    public DateTime ReferenceInstant { get; }

    /// <summary>Member n holds a card when its image is below the card count: exactly that many cards, spread at random.</summary>
    public FeistelPermutation CardOwnership { get; }

    public FeistelPermutation CardNumbers { get; }

    public FeistelPermutation CreditNumbers { get; }

    public static GenerationPlan Create(GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new GenerationPlan(options);
    }

    public bool HoldsCard(long memberIndex) => CardOwnership.Permute((ulong)memberIndex) < (ulong)Shape.Cards;

    public IdentityAllocator CreateIdentityAllocator() =>
        new([.. Enumerable.Range(0, Profile.BirthRegions.Count).Select(i => Profile.BirthRegions[i])],
            Reference.AddYears(-66).AddDays(1),
            Reference.AddYears(-18),
            Seed);
}
