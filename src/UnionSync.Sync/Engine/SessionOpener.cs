using Microsoft.Extensions.Logging;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Opens a session (docs/sync-engine.md §4.1): provisions both sides where needed, loads an empty child on its first
/// sync, registers each side at the other, and refuses a scope other than the registered one.
/// </summary>
internal sealed class SessionOpener
{
    private readonly ILogger _logger;

    public SessionOpener(ILogger logger)
    {
        _logger = logger;
    }

    public async Task<SessionContext> OpenAsync(ISyncProvider parent, ISyncProvider child, SyncOptions options, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        // Refused before anything is written on either side (schema, provisioning): a first sync without its scope.
        if (options.Scope is null
            && (!await child.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false)
                || await child.Metadata.GetParentAsync(cancellationToken).ConfigureAwait(false) is null))
        {
            throw NoScope();
        }

        await parent.Schema.MigrateAsync(cancellationToken).ConfigureAwait(false);
        Guid parentNode;
        if (await parent.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false))
        {
            await SyncProtocol.EnsureMetadataAsync(parent, "parent", cancellationToken).ConfigureAwait(false);
            parentNode = await parent.Tracking.GetNodeIdAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            parentNode = await parent.Tracking.ProvisionAsync(cancellationToken).ConfigureAwait(false);
        }

        var policies = await parent.Metadata.GetPoliciesAsync(cancellationToken).ConfigureAwait(false);

        await child.Schema.MigrateAsync(cancellationToken).ConfigureAwait(false);

        PeerRecord? parentAtChild = null;
        Guid childNode = Guid.Empty;
        if (await child.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false))
        {
            await SyncProtocol.EnsureMetadataAsync(child, "child", cancellationToken).ConfigureAwait(false);
            childNode = await child.Tracking.GetNodeIdAsync(cancellationToken).ConfigureAwait(false);
            parentAtChild = await child.Metadata.GetParentAsync(cancellationToken).ConfigureAwait(false);
        }

        if (childNode == parentNode && childNode != Guid.Empty)
        {
            throw new SyncConfigurationException($"The parent and the child are the same node ({parentNode:D}); name two different databases.");
        }

        // The columns both sides have (docs/sync-engine.md §10): the contract's, and the added ones they share.
        var schema = (await parent.Changes.DescribeAsync(cancellationToken).ConfigureAwait(false))
            .Intersect(await child.Changes.DescribeAsync(cancellationToken).ConfigureAwait(false));
        PeerRecord childRecord;
        PeerRecord parentRecord;
        var initialLoad = false;
        var loadedRows = 0L;
        if (parentAtChild is null)
        {
            var scope = options.Scope ?? throw NoScope();
            var loaded = await new InitialLoader(parent, child, schema, options.BatchSize, progress).LoadAsync(parentNode, scope, cancellationToken).ConfigureAwait(false);
            childNode = loaded.ChildNode;
            childRecord = SessionStore.ParentAtChild(parentNode, scope, sent: 0, received: loaded.Watermark);
            parentRecord = SessionStore.ChildAtParent(childNode, scope, sent: loaded.Watermark, received: 0);
            await child.Metadata.SavePeerAsync(childRecord, cancellationToken).ConfigureAwait(false);
            await parent.Metadata.SavePeerAsync(parentRecord, cancellationToken).ConfigureAwait(false);
            await parent.Metadata.AddFilledColumnsAsync(childNode, schema.ExtraColumnNames(), cancellationToken).ConfigureAwait(false);
            Log.InitialLoadDone(_logger, scope, childNode, loaded.Rows, loaded.Watermark);
            initialLoad = true;
            loadedRows = loaded.Rows;
        }
        else
        {
            (childRecord, parentRecord) = await CheckRegistrationAsync(parent, parentNode, childNode, parentAtChild, options, cancellationToken).ConfigureAwait(false);
        }

        await new RetentionGate(parent, child, options, _logger).PassAsync(childNode, childRecord, initialLoad, cancellationToken).ConfigureAwait(false);

        // The child keeps base rows only of the tables its parent merges by columns (docs/sync-engine.md §11).
        var merged = Schema.SyncTables.All.Where(t => Policies.ConflictPolicies.MergesColumns(policies.For(t.Name).Policy)).Select(t => t.Name).ToList();
        await child.Tracking.SetBaseCaptureAsync(merged, cancellationToken).ConfigureAwait(false);
        var filled = await parent.Metadata.GetFilledColumnsAsync(childNode, cancellationToken).ConfigureAwait(false);
        var newColumns = schema.ExtraColumnNames().Where(c => !filled.Contains(c)).ToHashSet(StringComparer.Ordinal);
        return new SessionContext
        {
            Parent = parent,
            Child = child,
            ParentNode = parentNode,
            ChildNode = childNode,
            Scope = childRecord.ScopeOrganization,
            SessionId = Guid.CreateVersion7(options.TimeProvider.GetUtcNow()),
            BatchSize = options.BatchSize,
            TimeProvider = options.TimeProvider,
            Logger = _logger,
            Progress = progress,
            ChildRecord = childRecord,
            ParentRecord = parentRecord,
            InitialLoad = initialLoad,
            RowsDown = loadedRows,
            Policies = policies,
            Schema = schema,
            UploadSchema = schema.Without(newColumns),
            NewColumns = newColumns,
        };
    }

    private static async Task<(PeerRecord Child, PeerRecord Parent)> CheckRegistrationAsync(
        ISyncProvider parent, Guid parentNode, Guid childNode, PeerRecord parentAtChild, SyncOptions options, CancellationToken cancellationToken)
    {
        var scope = parentAtChild.ScopeOrganization;
        SyncProtocol.Check(parentAtChild.ProtocolVersion, "child database");
        if (parentAtChild.PeerId != parentNode)
        {
            throw new SyncConfigurationException(
                $"The child syncs with parent node {parentAtChild.PeerId:D}, but the parent database given is node {parentNode:D}; a child has one parent.");
        }

        if (options.Scope is { } requested && requested != scope)
        {
            throw new SyncConfigurationException(
                $"The child holds the scope of organisation {scope:D}; it cannot sync with scope {requested:D}. Leave --scope out, or give {scope:D}.");
        }

        var registered = await parent.Metadata.GetPeerAsync(childNode, cancellationToken).ConfigureAwait(false);
        if (registered is not null)
        {
            SyncProtocol.Check(registered.ProtocolVersion, "parent database");
        }

        if (registered is not null && registered.ScopeOrganization != scope)
        {
            throw new SyncConfigurationException(
                $"The parent registered this child with scope {registered.ScopeOrganization:D}, but the child holds scope {scope:D}; reinitialise the child.");
        }

        await using (var snapshot = await parent.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await snapshot.ReadRowsAsync(Schema.SyncTables.Organizations, RowSelection.ByKeys([scope]), cancellationToken).AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new SyncConfigurationException(
                    $"The child's scope organisation {scope:D} no longer exists at the parent; the child must be reinitialised.");
            }
        }

        registered ??= SessionStore.ChildAtParent(childNode, scope, parentAtChild.ReceivedWatermark, parentAtChild.SentWatermark);
        return (parentAtChild, registered);
    }

    private static SyncConfigurationException NoScope() => new(
        "The child database has never synced: its first sync needs the scope, the organisation whose subtree it holds (--scope ORG-ID).");
}
