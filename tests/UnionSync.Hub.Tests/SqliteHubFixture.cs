namespace UnionSync.Hub.Tests;

/// <summary>A hub on a fresh SQLite file in a temp folder of its own.</summary>
public sealed class SqliteHubFixture : HubFixture
{
    private readonly TempFolder _folder = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }

    protected override Task<(string Provider, string ConnectionString)> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        Task.FromResult(("sqlite", $"Data Source={Path.Combine(_folder.Path, "hub.db")}"));
}
