using Microsoft.Extensions.Logging;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>The state of one session between a child and its parent, shared by the pipeline's steps.</summary>
internal sealed class SessionContext
{
    private readonly Dictionary<(string Table, Guid Key), Resend> _resends = [];

    public required ISyncProvider Parent { get; init; }

    public required ISyncProvider Child { get; init; }

    public required Guid ParentNode { get; init; }

    public required Guid ChildNode { get; init; }

    public required Guid Scope { get; init; }

    public required Guid SessionId { get; init; }

    public required int BatchSize { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    public required ILogger Logger { get; init; }

    public IProgress<SyncProgress>? Progress { get; init; }

    /// <summary>
    /// The columns both sides have (docs/sync-engine.md §10): what the download sends and the backfill fills. Every
    /// change read for this session is described by it (or by <see cref="UploadSchema"/>), so an apply writes only those.
    /// </summary>
    public SyncSchema Schema { get; init; } = SyncSchema.Contract;

    /// <summary>
    /// <see cref="Schema"/> without <see cref="NewColumns"/>: until the child holds the parent's values of a column it has
    /// just gained, its NULLs there mean "not known yet", and uploading them would overwrite the parent's values.
    /// </summary>
    public SyncSchema UploadSchema { get; init; } = SyncSchema.Contract;

    /// <summary>Added columns (<c>table.column</c>) both sides have that the parent has not backfilled at this child yet.</summary>
    public IReadOnlySet<string> NewColumns { get; init; } = new HashSet<string>();

    /// <summary>The parent's conflict policies, read once when the session opens.</summary>
    public PolicySet Policies { get; init; } = PolicySet.Defaults;

    /// <summary>The child's checkpoint record of its parent (authoritative).</summary>
    public required PeerRecord ChildRecord { get; set; }

    /// <summary>The parent's record of the child.</summary>
    public required PeerRecord ParentRecord { get; set; }

    /// <summary>The child's watermark of this session's upload snapshot; a child change newer than it was not sent.</summary>
    public long UploadWatermark { get; set; } = long.MaxValue;

    public bool InitialLoad { get; set; }

    public long RowsUp { get; set; }

    public long RowsDown { get; set; }

    public long Conflicts { get; set; }

    public long Removals { get; set; }

    public IReadOnlyCollection<Resend> Resends => _resends.Values;

    /// <summary>
    /// The version of every row this session uploaded, by table and key. A change newer than <see cref="UploadWatermark"/>
    /// may still have gone up: on PostgreSQL the watermark is the upload snapshot's xmin, held back by any transaction
    /// open in the cluster at that moment, so a change committed before the snapshot can lie above it. Written only by
    /// the upload's reading side, read only by the download.
    /// </summary>
    public Dictionary<(string Table, Guid Key), VersionIdentity?> Uploaded { get; } = [];

    /// <summary>Whether the row's current version at the child is the one this session uploaded.</summary>
    public bool WasUploaded(TableDescription table, Guid key, VersionIdentity? current) =>
        Uploaded.TryGetValue((table.Name, key), out var sent) && Identities.Same(sent, current);

    /// <summary>Keys of the upserts this session uploaded, by table, of the tables the parent merges by columns (<see cref="BaseRowRelease"/>).</summary>
    public Dictionary<string, HashSet<Guid>> UploadedMergedKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The child's new members merged into the parent's member of the same ID number this session: child key → parent key.</summary>
    public Dictionary<Guid, Guid> MergedMembers { get; } = [];

    public void AddResend(Resend resend) => _resends[(resend.Table.Name, resend.Key)] = resend;

    public BatchId Batch(SyncDirection direction, int number) => new(SessionId, direction, number);

    public ConflictRecord Conflict(ConflictInput input) => new(
        0,
        input.Table.Name,
        input.Key,
        input.Kind,
        input.ParentValues is null ? null : RowJson.Write(input.Table, input.ParentValues),
        input.ChildValues is null ? null : RowJson.Write(input.Table, input.ChildValues),
        Identities.Normalize(input.ParentIdentity),
        Identities.Normalize(input.ChildIdentity),
        ParentNode,
        ChildNode,
        input.Policy.Name(),
        input.Outcome,
        input.Queued ? ConflictStates.Queued : ConflictStates.Resolved,
        TimeProvider.GetUtcNow().UtcDateTime);
}
