namespace UnionSync.Seeding.Tests;

public sealed class StreamingAMillionMembers
{
    [Fact]
    public void does_not_grow_memory_with_the_number_of_members()
    {
        long? afterWarmUp = null;
        var count = 0;
        foreach (var member in FederationGenerator.EnumerateServiceCards(new GeneratorOptions { Members = 1_000_000, Seed = 9 }))
        {
            count++;
            if (count == 50_000)
            {
                afterWarmUp = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        var atEnd = GC.GetTotalMemory(forceFullCollection: true);

        // Holding the members or cards would cost hundreds of megabytes; the tree of ~17,700 organisations is held
        // from the start, so growth after the first 50,000 cards is only noise. GC.GetTotalMemory counts the whole
        // process, where the assembly's other tests run at the same time: 16 MB was exceeded by them (19 MB seen under
        // load), so the bound is 64 MB, still far below what holding the ~680,000 cards would take.
        Assert.True(count > 600_000, $"only {count} cards");
        Assert.True(atEnd - afterWarmUp!.Value < 64 * 1024 * 1024, $"memory grew by {(atEnd - afterWarmUp.Value) / 1024 / 1024} MB while streaming");
    }
}
