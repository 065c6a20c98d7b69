using System.Globalization;
using UnionSync.Seeding.Configuration;
using UnionSync.Sync.Errors;

namespace UnionSync.Seeding;

/// <summary>
/// What to generate: how many members, from which seed, against which reference date, with which distribution
/// knobs. The same options give the same rows, byte for byte.
/// </summary>
public sealed class GeneratorOptions
{
    public const long DefaultSeed = 1;

    /// <summary>The largest federation the generator writes: ten times the real one.</summary>
    public const long MaxMembers = 50_000_000;

    private readonly DateOnly? _referenceDate;

    public required long Members { get; init; }

    public long Seed { get; init; } = DefaultSeed;

    /// <summary>Ages, join dates and timestamps are relative to this date, never to the clock. Defaults to the profile's.</summary>
    public DateOnly ReferenceDate
    {
        get => _referenceDate ?? Profile.ReferenceDate;
        init => _referenceDate = value;
    }

    /// <summary>The distribution knobs; <see cref="GeneratorProfile.Default"/> is <c>seeds/generator.json</c>.</summary>
    public GeneratorProfile Profile { get; init; } = GeneratorProfile.Default;

    /// <exception cref="SyncConfigurationException">a value cannot work; the message names it.</exception>
    public void Validate()
    {
        if (Members is <= 0 or > MaxMembers)
        {
            throw new SyncConfigurationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The number of members must be between 1 and {MaxMembers:N0}; it is {Members:N0}."));
        }

        if (ReferenceDate <= Profile.PlatformLaunch || ReferenceDate.Year > 9000)
        {
            throw new SyncConfigurationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The reference date {ReferenceDate:yyyy-MM-dd} must be after the platform launch {Profile.PlatformLaunch:yyyy-MM-dd}."));
        }

        Profile.Validate();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Members} members, seed {Seed}, reference date {ReferenceDate:yyyy-MM-dd}");
}
