using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// One sync session between a child and its parent, in process (docs/sync-engine.md §4): open (and on a first sync,
/// load the child), upload, download. A thin pipeline over <see cref="SessionOpener"/>, the upload and download phases
/// and <see cref="SessionStore"/>; an interrupted session is resumed by running another one.
/// </summary>
public sealed class SyncEngine
{
    private readonly ILogger _logger;

    public SyncEngine(ILogger<SyncEngine>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <exception cref="SyncConfigurationException">no scope on a first sync, a different scope than the registered one, a scope the parent lacks.</exception>
    /// <exception cref="ScopeViolationException">the child wrote a row outside its scope; nothing of that batch was applied.</exception>
    /// <exception cref="ReinitialiseRequiredException">the child's checkpoint is below the parent's purge floor and <see cref="SyncOptions.Reinitialise"/> is off.</exception>
    public async Task<SyncSummary> SyncAsync(
        ISyncProvider parent, ISyncProvider child, SyncOptions options, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize < 1)
        {
            throw new SyncConfigurationException($"The batch size must be at least 1 row; it is {options.BatchSize}.");
        }

        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.session");
        var started = options.TimeProvider.GetTimestamp();
        var context = await new SessionOpener(_logger).OpenAsync(parent, child, options, progress, cancellationToken).ConfigureAwait(false);
        Log.SessionOpened(_logger, context.SessionId, context.ChildNode, context.ParentNode, context.Scope);
        if (options.Reinitialise)
        {
            await ChildReinitialiser.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await UploadPhase.RunAsync(context, cancellationToken).ConfigureAwait(false);
            await DownloadPhase.RunAsync(context, cancellationToken).ConfigureAwait(false);
            await BaseRowRelease.RunAsync(context, cancellationToken).ConfigureAwait(false);
            await ColumnBackfill.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new SyncProgress(SyncPhase.Done, string.Empty, context.RowsUp + context.RowsDown));
        Log.SessionDone(_logger, context.SessionId, context.RowsUp, context.RowsDown, context.Conflicts, context.Removals);
        return new SyncSummary(
            context.Scope, context.InitialLoad, context.RowsUp, context.RowsDown, context.Conflicts, context.Removals, options.TimeProvider.GetElapsedTime(started));
    }

    /// <summary>Compares the child with its scope of the parent, row for row, streaming both sides in key order.</summary>
    public async Task<VerifyResult> VerifyAsync(ISyncProvider parent, ISyncProvider child, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(child);
        var result = await Verifier.VerifyAsync(parent, child, cancellationToken).ConfigureAwait(false);
        Log.Verified(_logger, result.Scope, result.RowsCompared, result.DifferenceCount);
        return result;
    }
}
