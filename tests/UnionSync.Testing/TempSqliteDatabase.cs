using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite;
using UnionSync.Sync.Providers;

namespace UnionSync.Testing;

/// <summary>
/// A SQLite database file of its own under the temp folder (not yet created: the provider creates it on first open).
/// Disposing it closes pooled connections and deletes the file with its -wal, -shm and -journal companions.
/// </summary>
public sealed class TempSqliteDatabase : IAsyncDisposable, IDisposable
{
    public TempSqliteDatabase(string name = "db")
    {
        FilePath = Path.Combine(Path.GetTempPath(), "unionsync-tests", $"{name}-{Guid.NewGuid():N}.db");
    }

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    /// <summary>A provider on this file through <see cref="SqliteProviderFactory"/>; the caller disposes it.</summary>
    public IDatabaseProvider CreateProvider() => new SqliteProviderFactory().Create(ConnectionString);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            try
            {
                File.Delete(FilePath + suffix);
            }
            catch (IOException)
            {
                // Still open somewhere (Windows); the temp folder is cleaned by the OS eventually.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
