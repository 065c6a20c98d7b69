using UnionSync.Providers.Sqlite.Apply;
using UnionSync.Providers.Tests.Sqlite.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Sqlite;

/// <summary>
/// The lookups of an apply transaction over more keys than one statement takes (<see cref="SqliteJsonArray.Chunk"/>),
/// checked against the snapshot's reads and plain SQL.
/// </summary>
[Trait("db", "sqlite")]
public sealed class A_sqlite_apply_transaction_reading_many_keys
{
    private const int Members = SqliteJsonArray.Chunk + 600;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task reads_present_rows_tombstones_and_nothing_for_unknown_keys()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: Members, provision: true, Token);
        var nodeId = await db.Provider.Tracking.GetNodeIdAsync(Token);
        var members = SyncTables.Members;
        var all = await KeysAsync(db, "SELECT id FROM members ORDER BY id");
        var edited = all.Where((_, i) => i % 7 == 0).ToHashSet();
        var deleted = all.Where((_, i) => i % 11 == 1).ToHashSet();
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = (skill_level + 1) % 6 WHERE id IN ({InList(edited)})", Token);
        await db.ExecuteRawAsync($"DELETE FROM service_cards WHERE member_id IN ({InList(deleted)})", Token);
        await db.ExecuteRawAsync($"DELETE FROM members WHERE id IN ({InList(deleted)})", Token);
        var unknown = Enumerable.Range(0, 25).Select(_ => Guid.CreateVersion7()).ToList();
        List<Guid> asked = [.. unknown.Take(10), .. all, .. unknown.Skip(10)];

        IReadOnlyDictionary<Guid, CurrentRow> current;
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            current = await apply.ReadCurrentAsync(members, asked, Token);
        }

        var present = await RowsAsync(db, members, all);
        var tombstones = (await db.ReadChangesAsync(new ChangeQuery(members, 0, null, null), Token))
            .Where(c => c.Kind == ChangeKind.Delete).ToDictionary(c => c.Key);
        Assert.Equal(all.Count - deleted.Count, present.Count);
        Assert.Equal(deleted.Count, tombstones.Count);
        Assert.Equal(all.Count, current.Count);
        Assert.DoesNotContain(unknown, current.ContainsKey);
        foreach (var key in all)
        {
            var row = current[key];
            if (deleted.Contains(key))
            {
                Assert.True(row.Deleted);
                Assert.Null(row.Values);
                Assert.Equal(tombstones[key].Origin, row.Identity);
                Assert.True(row.LocalVersion > 0);
            }
            else
            {
                Assert.False(row.Deleted);
                Assert.Equal(present[key].Values, row.Values);
                Assert.Equal(present[key].Origin, row.Identity);
                Assert.Equal(edited.Contains(key), row.Identity?.Node == nodeId);
                Assert.Equal(edited.Contains(key), row.LocalVersion > 0);
            }
        }
    }

    [Fact]
    public async Task finds_the_organisations_of_members_and_the_holders_of_unique_numbers()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: Members, provision: true, Token);
        var all = await KeysAsync(db, "SELECT id FROM members ORDER BY id");
        var organizations = await PairsAsync(db, "SELECT id, organization_id FROM members");
        var idNumbers = await PairsAsync(db, "SELECT id_number, id FROM members");
        var cardNumbers = await PairsAsync(db, "SELECT card_number, id FROM service_cards");

        // A unique number the JSON array carries escaped: it must come back as the value asked for.
        var other = all[0];
        var unusual = "11\"\\0中😀4901010002X";
        await db.ExecuteRawAsync($"UPDATE members SET id_number = '{unusual}' WHERE id = '{other:D}'", Token);
        idNumbers.Remove(idNumbers.Single(p => p.Value == other.ToString("D")).Key);
        idNumbers[unusual] = other.ToString("D");

        await using var apply = await db.Provider.Applier.BeginAsync(Token);
        var unknown = Guid.CreateVersion7();
        var found = await apply.ReadMemberOrganizationsAsync([.. all, unknown], Token);
        var byIdNumber = await apply.FindByNaturalKeyAsync(SyncTables.Members, [.. idNumbers.Keys, "110105194901010000"], Token);
        var byCardNumber = await apply.FindByNaturalKeyAsync(SyncTables.ServiceCards, [.. cardNumbers.Keys, "6200000000000000000"], Token);

        Assert.Equal(organizations.ToDictionary(p => Guid.Parse(p.Key), p => Guid.Parse(p.Value)), found);
        Assert.Equal(idNumbers.ToDictionary(p => p.Key, p => Guid.Parse(p.Value)), byIdNumber);
        Assert.Equal(cardNumbers.ToDictionary(p => p.Key, p => Guid.Parse(p.Value)), byCardNumber);
        Assert.Contains(unusual, byIdNumber.Keys);
        Assert.True(idNumbers.Count > SqliteJsonArray.Chunk);
    }

    private static string InList(IEnumerable<Guid> keys) => string.Join(", ", keys.Select(k => $"'{k:D}'"));

    private static async Task<List<Guid>> KeysAsync(TrackedSqliteDatabase db, string sql)
    {
        await using var connection = await db.OpenRawAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Token);
        var keys = new List<Guid>();
        while (await reader.ReadAsync(Token))
        {
            keys.Add(Guid.Parse(reader.GetString(0)));
        }

        return keys;
    }

    private static async Task<Dictionary<string, string>> PairsAsync(TrackedSqliteDatabase db, string sql)
    {
        await using var connection = await db.OpenRawAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Token);
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(Token))
        {
            pairs.Add(reader.GetString(0), reader.GetString(1));
        }

        return pairs;
    }

    private static async Task<Dictionary<Guid, RowChange>> RowsAsync(TrackedSqliteDatabase db, TableDescription table, IReadOnlyCollection<Guid> keys)
    {
        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var rows = new Dictionary<Guid, RowChange>();
        await foreach (var row in snapshot.ReadRowsAsync(table, RowSelection.ByKeys(keys), Token))
        {
            rows.Add(row.Key, row);
        }

        return rows;
    }
}
