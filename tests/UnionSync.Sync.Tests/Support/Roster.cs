using System.Globalization;

namespace UnionSync.Sync.Tests.Support;

/// <summary>Writes to a node in plain SQL, as other applications do: members, cards and organisations, with valid values.</summary>
internal static class Roster
{
    private const string Stamp = "'2025-06-01T08:00:00Z'";
    private static long _counter = Random.Shared.NextInt64(1_000_000, 9_000_000);

    /// <summary>An 18-character identity number no other test row has.</summary>
    public static string NewIdNumber() => "91" + Interlocked.Increment(ref _counter).ToString("D15", CultureInfo.InvariantCulture) + "X";

    public static string NewCardNumber() => "62" + Interlocked.Increment(ref _counter).ToString("D17", CultureInfo.InvariantCulture);

    public static async Task<Guid> InsertMemberAsync(TestNode node, Guid organization, string name = "测试会员", string? idNumber = null)
    {
        var id = Guid.CreateVersion7();
        await node.ExecAsync(
            "INSERT INTO members (id, organization_id, name, id_number, phone, employer_code, join_date, status, migrant_worker, skill_level, created_at, updated_at) " +
            $"VALUES (@id, @org, @name, @idn, NULL, NULL, '2025-05-05', 'active', {False(node)}, 2, {Stamp}, {Stamp})",
            ("@id", node.Id(id)), ("@org", node.Id(organization)), ("@name", name), ("@idn", idNumber ?? NewIdNumber()));
        return id;
    }

    public static Task RenameMemberAsync(TestNode node, Guid member, string name) =>
        node.ExecAsync("UPDATE members SET name = @name WHERE id = @id", ("@name", name), ("@id", node.Id(member)));

    public static Task TransferMemberAsync(TestNode node, Guid member, Guid organization) =>
        node.ExecAsync("UPDATE members SET organization_id = @org WHERE id = @id", ("@org", node.Id(organization)), ("@id", node.Id(member)));

    /// <summary>Deletes the member and its cards (cards first, as the foreign key wants).</summary>
    public static async Task DeleteMemberAsync(TestNode node, Guid member)
    {
        await node.ExecAsync("DELETE FROM service_cards WHERE member_id = @id", ("@id", node.Id(member)));
        await node.ExecAsync("DELETE FROM members WHERE id = @id", ("@id", node.Id(member)));
    }

    public static async Task<Guid> IssueCardAsync(TestNode node, Guid member, string? cardNumber = null)
    {
        var id = Guid.CreateVersion7();
        await node.ExecAsync(
            "INSERT INTO service_cards (id, member_id, card_number, bank, issue_date, expiry_date, status, created_at, updated_at) " +
            $"VALUES (@id, @member, @number, '中国工商银行', '2025-06-01', '2030-06-01', 'active', {Stamp}, {Stamp})",
            ("@id", node.Id(id)), ("@member", node.Id(member)), ("@number", cardNumber ?? NewCardNumber()));
        return id;
    }

    public static Task LoseCardAsync(TestNode node, Guid card) =>
        node.ExecAsync("UPDATE service_cards SET status = 'lost' WHERE id = @id", ("@id", node.Id(card)));

    public static async Task<Guid> InsertOrganizationAsync(TestNode node, Guid parent, int level, string name = "新建基层工会")
    {
        var id = Guid.CreateVersion7();
        await node.ExecAsync(
            "INSERT INTO organizations (id, parent_id, level, name, credit_code, district_code, status, created_at, updated_at) " +
            $"VALUES (@id, @parent, {level}, @name, NULL, '110105', 'active', {Stamp}, {Stamp})",
            ("@id", node.Id(id)), ("@parent", node.Id(parent)), ("@name", name));
        return id;
    }

    public static Task MoveOrganizationAsync(TestNode node, Guid organization, Guid parent) =>
        node.ExecAsync("UPDATE organizations SET parent_id = @parent WHERE id = @id", ("@parent", node.Id(parent)), ("@id", node.Id(organization)));

    public static Task RenameOrganizationAsync(TestNode node, Guid organization, string name) =>
        node.ExecAsync("UPDATE organizations SET name = @name WHERE id = @id", ("@name", name), ("@id", node.Id(organization)));

    public static async Task<string?> MemberNameAsync(TestNode node, Guid member) =>
        (string?)await node.ScalarAsync("SELECT name FROM members WHERE id = @id", ("@id", node.Id(member)));

    public static Task<long> CountAsync(TestNode node, string table) => node.CountAsync($"SELECT COUNT(*) FROM {table}");

    public static Task<long> CountWhereIdAsync(TestNode node, string table, Guid id) =>
        node.CountAsync($"SELECT COUNT(*) FROM {table} WHERE id = @id", ("@id", node.Id(id)));

    private static string False(TestNode node) => node.TextUuids ? "0" : "false";
}
