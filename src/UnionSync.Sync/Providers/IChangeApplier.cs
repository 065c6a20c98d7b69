namespace UnionSync.Sync.Providers;

/// <summary>Applies peers' batches, each in one write transaction with the tracking triggers standing aside.</summary>
public interface IChangeApplier
{
    Task<IApplyTransaction> BeginAsync(CancellationToken cancellationToken);
}
