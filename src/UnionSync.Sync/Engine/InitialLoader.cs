using UnionSync.Sync.Changes;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The first sync of an empty child (docs/sync-engine.md §4.4): one snapshot of the parent's scope, written through
/// the child's bulk path before the child's tracking triggers exist (so at raw bulk speed, and nothing of it looks
/// like a local change). Then tracking is provisioned, and the rows the parent holds in a tracked version get that
/// version as their agreed base, through the applier; rows in their initial version need nothing. The scope root's
/// ancestors come along as context (the root's parent key must resolve); they are outside the scope and never synced.
/// </summary>
internal sealed class InitialLoader
{
    private const int ProgressEvery = 5_000;

    /// <summary>Rows handed from the parent's reader to the child's writer at a time; two chunks are held at most.</summary>
    private const int ChunkRows = 1_000;

    private readonly ISyncProvider _parent;
    private readonly ISyncProvider _child;
    private readonly int _batchSize;
    private readonly IProgress<SyncProgress>? _progress;
    private readonly SyncSchema _schema;

    /// <param name="schema">The columns both databases have: the contract's and the added ones they share (docs/sync-engine.md §10).</param>
    public InitialLoader(ISyncProvider parent, ISyncProvider child, SyncSchema schema, int batchSize, IProgress<SyncProgress>? progress)
    {
        _parent = parent;
        _child = child;
        _schema = schema;
        _batchSize = batchSize;
        _progress = progress;
    }

    public async Task<InitialLoadResult> LoadAsync(Guid parentNode, Guid scope, CancellationToken cancellationToken)
    {
        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.initial-load");
        await using var snapshot = await _parent.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if ((await snapshot.ReadSubtreeAsync(scope, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            throw new SyncConfigurationException($"The scope organisation {scope:D} does not exist at the parent ({_parent.Describe()}); give the id of an organisation the parent holds.");
        }

        long rows;
        Guid childNode;
        if (await ChildProbe.HasRowsAsync(_child, cancellationToken).ConfigureAwait(false))
        {
            // Either a load interrupted after its bulk commit (resumed: the rows are exactly the scope) or foreign data (refused).
            childNode = await _child.Tracking.ProvisionAsync(cancellationToken).ConfigureAwait(false);
            rows = await AdoptInterruptedLoadAsync(snapshot, parentNode, scope, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (await _child.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false))
            {
                // Empty and never synced: tracking is made again after the load, so that the load is not captured as local writes.
                await _child.Tracking.DeprovisionAsync(cancellationToken).ConfigureAwait(false);
            }

            rows = await BulkLoadAsync(snapshot, scope, cancellationToken).ConfigureAwait(false);
            childNode = await _child.Tracking.ProvisionAsync(cancellationToken).ConfigureAwait(false);
        }

        await StampTrackedVersionsAsync(snapshot, parentNode, scope, cancellationToken).ConfigureAwait(false);
        return new InitialLoadResult(childNode, snapshot.Watermark, rows);
    }

    private async Task<long> AdoptInterruptedLoadAsync(IChangeSnapshot snapshot, Guid parentNode, Guid scope, CancellationToken cancellationToken)
    {
        await using var childSnapshot = await _child.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var comparison = await Verifier.CompareAsync(snapshot, childSnapshot, _schema, scope, cancellationToken).ConfigureAwait(false);
        var localChanges = false;
        await foreach (var change in ChangeEnumerator.ChangesAsync(childSnapshot, _schema, 0, null, parentNode, cancellationToken).ConfigureAwait(false))
        {
            localChanges = true;
            break;
        }

        if (!comparison.IsEqual || localChanges)
        {
            throw new SyncConfigurationException(
                $"The child database ({_child.Describe()}) holds rows but has never synced with a parent: a first sync fills an empty database only. Name a new or empty database.");
        }

        return comparison.RowsCompared;
    }

    private async Task<long> BulkLoadAsync(IChangeSnapshot snapshot, Guid scope, CancellationToken cancellationToken)
    {
        var ancestors = await ReadAncestorsAsync(snapshot, scope, cancellationToken).ConfigureAwait(false);
        var total = 0L;
        await using var load = await _child.BulkLoader.BeginCopyAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in _schema.All)
        {
            await using var writer = await load.OpenTableAsync(table, cancellationToken).ConfigureAwait(false);
            if (Rows.IsOrganizations(table))
            {
                foreach (var ancestor in ancestors)
                {
                    await writer.WriteAsync(ancestor, cancellationToken).ConfigureAwait(false);
                }
            }

            // The parent's rows are read one chunk ahead of the child's writes: the two databases work at the same time.
            var rows = ChangeEnumerator.RowsAsync(snapshot, table, RowSelection.Subtree(scope), cancellationToken);
            await foreach (var chunk in rows.Chunk(ChunkRows).ReadAheadAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var row in chunk)
                {
                    await writer.WriteAsync(row.Values!, cancellationToken).ConfigureAwait(false);
                    if (++total % ProgressEvery == 0)
                    {
                        _progress?.Report(new SyncProgress(SyncPhase.InitialLoad, table.Name, total));
                    }
                }
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            _progress?.Report(new SyncProgress(SyncPhase.InitialLoad, table.Name, total));
        }

        await load.CommitAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    /// <summary>The scope root's ancestors, top first (at most the depth of the tree).</summary>
    private async Task<List<object?[]>> ReadAncestorsAsync(IChangeSnapshot snapshot, Guid scope, CancellationToken cancellationToken)
    {
        var chain = new List<object?[]>();
        var next = await ParentOfAsync(snapshot, scope, cancellationToken).ConfigureAwait(false);
        while (next is { } key && chain.Count <= Rows.MaxLevel)
        {
            object?[]? values = null;
            await foreach (var row in snapshot.ReadRowsAsync(_schema.Organizations, RowSelection.ByKeys([key]), cancellationToken).ConfigureAwait(false))
            {
                values = row.Values;
            }

            if (values is null)
            {
                break;
            }

            chain.Insert(0, values);
            next = Rows.Parent(values);
        }

        return chain;
    }

    private static async Task<Guid?> ParentOfAsync(IChangeSnapshot snapshot, Guid key, CancellationToken cancellationToken)
    {
        Guid? parent = null;
        await foreach (var row in snapshot.ReadRowsAsync(SyncTables.Organizations, RowSelection.ByKeys([key]), cancellationToken).ConfigureAwait(false))
        {
            parent = Rows.Parent(row.Values);
        }

        return parent;
    }

    /// <summary>Rows the parent holds in a tracked version: applied again with that version, so the child's base is the parent's.</summary>
    private async Task StampTrackedVersionsAsync(IChangeSnapshot snapshot, Guid parentNode, Guid scope, CancellationToken cancellationToken)
    {
        var session = Guid.NewGuid();
        var planner = new BatchPlanner(_batchSize);
        var number = 0;
        await foreach (var batch in planner.PlanAsync(TrackedRowsAsync(snapshot, _schema, scope, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await _child.Applier.BeginAsync(cancellationToken).ConfigureAwait(false);
            foreach (var run in BatchPlanner.Runs(batch))
            {
                await transaction.ApplyAsync(run[0].Table, run, parentNode, cancellationToken).ConfigureAwait(false);
            }

            await transaction.RecordBatchAsync(new BatchId(session, SyncDirection.Download, ++number), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<RowChange> TrackedRowsAsync(
        IChangeSnapshot snapshot, SyncSchema schema, Guid scope, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The parent's tracked rows of the scope, through its change index (changes since 0): what the tracking tables
        // hold, not every row of the scope again.
        foreach (var table in schema.All)
        {
            var query = new ChangeQuery(table, 0, scope, null);
            await foreach (var row in ChangeEnumerator.UpsertsAsync(table, () => snapshot.ReadChangesAsync(query, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                if (Identities.Normalize(row.Origin) is not null)
                {
                    yield return row;
                }
            }
        }
    }
}
