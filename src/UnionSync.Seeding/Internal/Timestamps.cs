namespace UnionSync.Seeding.Internal;

/// <summary>Deterministic UTC timestamps of microsecond precision (what every provider stores exactly).</summary>
internal static class Timestamps
{
    private const long TicksPerMicrosecond = 10;

    /// <summary>A time of working hours (08:00 to 20:00) on <paramref name="day"/>.</summary>
    public static DateTime During(DateOnly day, ref SeededRandom random)
    {
        var micros = (8L * 3600 * 1_000_000) + (long)random.NextBelow(12UL * 3600 * 1_000_000);
        return day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddTicks(micros * TicksPerMicrosecond);
    }

    /// <summary>When a row was entered: its own date, or, for what predates the platform, a day of the initial import.</summary>
    public static DateTime Entered(DateOnly date, DateOnly launch, DateOnly reference, ref SeededRandom random)
    {
        var importDays = Math.Clamp(reference.DayNumber - launch.DayNumber, 1, 180);
        var day = date >= launch ? date : launch.AddDays(random.NextInt(importDays));
        return During(day, ref random);
    }

    /// <summary>Either <paramref name="created"/> itself or a later time before <paramref name="reference"/>.</summary>
    public static DateTime Updated(DateTime created, DateTime reference, double unchangedShare, ref SeededRandom random)
    {
        if (random.Chance(unchangedShare) || created >= reference)
        {
            return created;
        }

        var span = (reference - created).Ticks / TicksPerMicrosecond;
        var offset = (long)random.NextBelow((ulong)span) * TicksPerMicrosecond;
        return created.AddTicks(offset);
    }

    public static DateOnly Between(DateOnly min, DateOnly max, ref SeededRandom random) =>
        max <= min ? min : DateOnly.FromDayNumber(random.NextInclusive(min.DayNumber, max.DayNumber));
}
