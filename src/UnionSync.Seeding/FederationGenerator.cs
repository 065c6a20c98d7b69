using UnionSync.Domain.Model;
using UnionSync.Seeding.Internal;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Seeding;

/// <summary>
/// Writes a deterministic synthetic federation (DESIGN §3, §6) through a provider's bulk path, streaming: memory
/// holds the organisation tree and nothing that grows with the member count. The same options give the same rows.
/// </summary>
public sealed class FederationGenerator
{
    private const int ProgressEvery = 8192;

    private readonly TimeProvider _timeProvider;

    public FederationGenerator()
        : this(TimeProvider.System)
    {
    }

    public FederationGenerator(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Creates the schema if missing, then loads organisations, members and service cards in one bulk transaction:
    /// all of them or nothing.
    /// </summary>
    /// <exception cref="Sync.Errors.SyncConfigurationException">the options are invalid, or the target already holds rows.</exception>
    public async Task<GenerationResult> GenerateAsync(
        IDatabaseProvider target,
        GeneratorOptions options,
        IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var plan = GenerationPlan.Create(options);
        var started = _timeProvider.GetTimestamp();
        await target.Schema.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await TargetGuard.EnsureEmptyAsync(target, cancellationToken).ConfigureAwait(false);

        var streams = new FederationStreams(plan);
        var expected = new[] { plan.Shape.Organizations, plan.Shape.Members, plan.Shape.Cards };
        var written = new long[SyncTables.All.Count];
        await using (var load = await target.BulkLoader.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var t = 0; t < SyncTables.All.Count; t++)
            {
                written[t] = await LoadTableAsync(load, streams, SyncTables.All[t], expected[t], progress, cancellationToken).ConfigureAwait(false);
            }

            await load.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new GenerationResult(written[0], written[1], written[2], _timeProvider.GetElapsedTime(started));
    }

    /// <summary>The sizes the options lead to, computed without generating anything.</summary>
    public static FederationShape Plan(GeneratorOptions options) => GenerationPlan.Create(options).Shape;

    /// <summary>The organisations, parents before children.</summary>
    public static IEnumerable<Organization> EnumerateOrganizations(GeneratorOptions options) => new FederationStreams(GenerationPlan.Create(options)).Organizations();

    /// <summary>The members, grassroots union by grassroots union; streamed, not held.</summary>
    public static IEnumerable<Member> EnumerateMembers(GeneratorOptions options) => new FederationStreams(GenerationPlan.Create(options)).Members();

    /// <summary>The service cards, in the order of their members; streamed, not held.</summary>
    public static IEnumerable<ServiceCard> EnumerateServiceCards(GeneratorOptions options) => new FederationStreams(GenerationPlan.Create(options)).ServiceCards();

    /// <summary>
    /// The rows of one of <see cref="SyncTables.All"/>, as <see cref="Sync.Providers.IBulkTableWriter"/> takes them: values in
    /// column order, typed as <see cref="ColumnType"/> says. Each row is a new array.
    /// </summary>
    public static IEnumerable<object?[]> EnumerateRows(TableDescription table, GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        return RowMapper.Rows(new FederationStreams(GenerationPlan.Create(options)), table, null);
    }

    private static async Task<long> LoadTableAsync(
        IBulkLoadTransaction load,
        FederationStreams streams,
        TableDescription table,
        long expected,
        IProgress<GenerationProgress>? progress,
        CancellationToken cancellationToken)
    {
        progress?.Report(new GenerationProgress(table.Name, 0, expected));
        await using var writer = await load.OpenTableAsync(table, cancellationToken).ConfigureAwait(false);
        var rows = 0L;
        foreach (var row in RowMapper.Rows(streams, table, new object?[table.Columns.Count]))
        {
            await writer.WriteAsync(row, cancellationToken).ConfigureAwait(false);
            if (++rows % ProgressEvery == 0)
            {
                progress?.Report(new GenerationProgress(table.Name, rows, expected));
            }
        }

        var completed = await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(new GenerationProgress(table.Name, completed, expected));
        return completed;
    }
}
