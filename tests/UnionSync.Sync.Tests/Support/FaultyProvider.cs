using System.Data.Common;
using System.Runtime.CompilerServices;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Tests.Support;

/// <summary>A provider that breaks once where its <see cref="Fault"/> says; otherwise the real one. It does not own the inner provider.</summary>
internal sealed class FaultyProvider(ISyncProvider inner, Fault fault) : ISyncProvider
{
    public string Name => inner.Name;

    public DbDataSource DataSource => inner.DataSource;

    public ISchemaMigrator Schema => inner.Schema;

    public IBulkLoader BulkLoader => inner.BulkLoader;

    public IChangeTracker Tracking => inner.Tracking;

    public IChangeReader Changes { get; } = new FaultyReader(inner.Changes, fault);

    public IChangeApplier Applier { get; } = new FaultyApplier(inner.Applier, fault);

    public ISyncMetadata Metadata => inner.Metadata;

    public IRetention Retention => inner.Retention;

    public string Describe() => inner.Describe();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class FaultyReader(IChangeReader inner, Fault fault) : IChangeReader
    {
        public Task<SyncSchema> DescribeAsync(CancellationToken cancellationToken) => inner.DescribeAsync(cancellationToken);

        public async Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken) =>
            new Snapshot(await inner.OpenSnapshotAsync(cancellationToken), fault);
    }

    private sealed class Snapshot(IChangeSnapshot inner, Fault fault) : IChangeSnapshot
    {
        public Guid NodeId => inner.NodeId;

        public long Watermark => inner.Watermark;

        public async IAsyncEnumerable<RowChange> ReadChangesAsync(ChangeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var change in inner.ReadChangesAsync(query, cancellationToken))
            {
                fault.OnRow();
                yield return change;
            }
        }

        public IAsyncEnumerable<ScopeMove> ReadMovesAsync(long since, CancellationToken cancellationToken) => inner.ReadMovesAsync(since, cancellationToken);

        public IAsyncEnumerable<RowChange> ReadRowsAsync(TableDescription table, RowSelection selection, CancellationToken cancellationToken) =>
            inner.ReadRowsAsync(table, selection, cancellationToken);

        public Task<IReadOnlyDictionary<Guid, object?[]>> ReadBaseRowsAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken) =>
            inner.ReadBaseRowsAsync(table, keys, cancellationToken);

        public Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken) => inner.ReadSubtreeAsync(root, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class FaultyApplier(IChangeApplier inner, Fault fault) : IChangeApplier
    {
        public async Task<IApplyTransaction> BeginAsync(CancellationToken cancellationToken)
        {
            await fault.BeforeBeginAsync();
            return new Transaction(await inner.BeginAsync(cancellationToken), fault);
        }
    }

    private sealed class Transaction(IApplyTransaction inner, Fault fault) : IApplyTransaction
    {
        public Task<bool> IsBatchAppliedAsync(BatchId batch, CancellationToken cancellationToken) => inner.IsBatchAppliedAsync(batch, cancellationToken);

        public Task<IReadOnlyDictionary<Guid, CurrentRow>> ReadCurrentAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken) =>
            inner.ReadCurrentAsync(table, keys, cancellationToken);

        public Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken) => inner.ReadSubtreeAsync(root, cancellationToken);

        public Task<IReadOnlySet<Guid>> ReadInSubtreeAsync(Guid root, IReadOnlyCollection<Guid> organizations, CancellationToken cancellationToken) =>
            inner.ReadInSubtreeAsync(root, organizations, cancellationToken);

        public Task<IReadOnlyDictionary<Guid, Guid>> ReadMemberOrganizationsAsync(IReadOnlyCollection<Guid> memberKeys, CancellationToken cancellationToken) =>
            inner.ReadMemberOrganizationsAsync(memberKeys, cancellationToken);

        public Task<IReadOnlyList<ScopeMove>> ReadMovesAsync(string table, IReadOnlyCollection<Guid> keys, long since, CancellationToken cancellationToken) =>
            inner.ReadMovesAsync(table, keys, since, cancellationToken);

        public Task ApplyAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken) =>
            inner.ApplyAsync(table, changes, sourcePeer, cancellationToken);

        public Task ApplyFromChildAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken) =>
            inner.ApplyFromChildAsync(table, changes, sourcePeer, cancellationToken);

        public Task RemoveLocallyAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken) =>
            inner.RemoveLocallyAsync(table, keys, cancellationToken);

        public Task FillColumnsAsync(TableDescription table, IReadOnlyList<RowChange> rows, CancellationToken cancellationToken) =>
            inner.FillColumnsAsync(table, rows, cancellationToken);

        public Task DropBaseRowsAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken) =>

            inner.DropBaseRowsAsync(table, keys, cancellationToken);


        public Task<long> NextOwnVersionAsync(long above, CancellationToken cancellationToken) => inner.NextOwnVersionAsync(above, cancellationToken);

        public Task RecordConflictAsync(ConflictRecord conflict, CancellationToken cancellationToken) => inner.RecordConflictAsync(conflict, cancellationToken);

        public Task<IReadOnlyDictionary<string, Guid>> FindByNaturalKeyAsync(TableDescription table, IReadOnlyCollection<string> values, CancellationToken cancellationToken) =>
            inner.FindByNaturalKeyAsync(table, values, cancellationToken);

        public Task<bool> DecideConflictAsync(long id, string outcome, CancellationToken cancellationToken) => inner.DecideConflictAsync(id, outcome, cancellationToken);

        public Task RecordBatchAsync(BatchId batch, CancellationToken cancellationToken) => inner.RecordBatchAsync(batch, cancellationToken);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            fault.BeforeCommit();
            await inner.CommitAsync(cancellationToken);
            fault.AfterCommit();
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
