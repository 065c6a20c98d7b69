using System.Data.Common;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer.Reading;

/// <summary>Opens SNAPSHOT-isolation read transactions bounded by <c>MIN_ACTIVE_ROWVERSION()</c> (<see cref="SqlServerChangeSnapshot"/>).</summary>
internal sealed class SqlServerChangeReader : IChangeReader
{
    private readonly DbDataSource _dataSource;

    public SqlServerChangeReader(DbDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken) =>
        await SqlServerChangeSnapshot.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
}
