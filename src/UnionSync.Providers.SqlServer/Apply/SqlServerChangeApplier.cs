using System.Data.Common;
using UnionSync.Providers.SqlServer.Metadata;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer.Apply;

/// <summary>Begins apply transactions (<see cref="SqlServerApplyTransaction"/>), one per batch.</summary>
internal sealed class SqlServerChangeApplier : IChangeApplier
{
    private readonly DbDataSource _dataSource;
    private readonly SqlServerSyncMetadata _metadata;

    public SqlServerChangeApplier(DbDataSource dataSource, SqlServerSyncMetadata metadata)
    {
        _dataSource = dataSource;
        _metadata = metadata;
    }

    public async Task<IApplyTransaction> BeginAsync(CancellationToken cancellationToken) =>
        await SqlServerApplyTransaction.BeginAsync(_dataSource, _metadata, cancellationToken).ConfigureAwait(false);
}
