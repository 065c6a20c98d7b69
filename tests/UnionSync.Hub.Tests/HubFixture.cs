namespace UnionSync.Hub.Tests;

/// <summary>
/// One hub per test class, on a database of its own, started on first use (so that a test can skip before it starts
/// when its database server is missing) and shared by the class's tests, which only read.
/// </summary>
public abstract class HubFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HubApplication? _hub;
    private HttpClient? _client;

    public async Task<(HubApplication Hub, HttpClient Client)> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_hub is null)
            {
                var (provider, connectionString) = await CreateDatabaseAsync(cancellationToken);
                _hub = new HubApplication(provider, connectionString);
                _client = _hub.CreateClient();
            }

            return (_hub, _client!);
        }
        finally
        {
            _gate.Release();
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        _gate.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new, empty database: the provider name and its connection string.</summary>
    protected abstract Task<(string Provider, string ConnectionString)> CreateDatabaseAsync(CancellationToken cancellationToken);
}
