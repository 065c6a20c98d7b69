using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// After the download (docs/sync-engine.md §11): the rows this session uploaded of a table the parent merges by columns,
/// and that the download left as they were, are agreed as they are — the parent took them, or holds what the child
/// already had — so their base rows go, and a later change keeps the row as it is now. Without this, an accepted upload
/// (which the parent does not echo back) would leave the older base row, and a later conflict would count the columns
/// of the accepted change as changed on both sides. A row changed here since the upload's snapshot keeps its base row.
/// </summary>
internal static class BaseRowRelease
{
    private const int KeysPerTransaction = 5_000;

    public static async Task RunAsync(SessionContext context, CancellationToken cancellationToken)
    {
        foreach (var (tableName, keys) in context.UploadedMergedKeys)
        {
            var table = SyncTables.Named(tableName);
            foreach (var chunk in keys.Chunk(KeysPerTransaction))
            {
                await using var transaction = await context.Child.Applier.BeginAsync(cancellationToken).ConfigureAwait(false);
                var current = await transaction.ReadCurrentAsync(table, chunk, cancellationToken).ConfigureAwait(false);
                var agreed = current.Where(c => !c.Value.Deleted && c.Value.LocalVersion <= context.UploadWatermark).Select(c => c.Key).ToList();
                await transaction.DropBaseRowsAsync(table, agreed, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
