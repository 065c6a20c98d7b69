namespace UnionSync.Sync.Queries;

/// <summary>
/// The read model's statement text, built once per dialect from the ANSI defaults and the dialect's few hooks.
/// Parameters: <c>@root</c>, <c>@max_depth</c>, <c>@name</c>, <c>@id_number</c>, <c>@limit</c>. Not a contract.
/// </summary>
internal sealed class FederationStatements
{
    private const string OrganizationColumns = "o.id, o.parent_id, o.level, o.name, o.credit_code, o.district_code, o.status";

    private const string MemberColumns =
        "m.id, m.organization_id, o.name, m.name, m.id_number, m.phone, m.join_date, m.status, m.migrant_worker, m.skill_level, " +
        "(SELECT COUNT(*) FROM service_cards c WHERE c.member_id = m.id AND c.status = 'active')";

    // The identity number parameter is cast to the column's type so that every dialect compares char(18) with char(18)
    // and seeks the unique index (PostgreSQL would otherwise compare as text, SQL Server convert the column to nvarchar).
    public FederationStatements(string recursiveWith, string top, string limit)
    {
        // Walks down from @root through the parent_id index; @max_depth bounds it (and a cycle written by hand).
        var subtree =
            $"""
            {recursiveWith} subtree (id, depth) AS (
                SELECT id, 0 FROM organizations WHERE id = @root
                UNION ALL
                SELECT o.id, s.depth + 1 FROM organizations o JOIN subtree s ON o.parent_id = s.id WHERE s.depth < @max_depth
            )
            """;

        SelectAnyOrganization = "SELECT CASE WHEN EXISTS (SELECT 1 FROM organizations) THEN 1 ELSE 0 END";

        SelectRoots =
            $"""
            SELECT {OrganizationColumns}, 0
            FROM organizations o
            WHERE o.parent_id IS NULL
            ORDER BY o.name, o.id
            """;

        SelectSubtree =
            $"""
            {subtree}
            SELECT {OrganizationColumns}, s.depth
            FROM subtree s JOIN organizations o ON o.id = s.id
            ORDER BY s.depth, o.name, o.id
            """;

        // One row for the organisations, one per member status, one for the active cards: members through the
        // organization_id index, cards through the member_id index. The cards are counted with IN (subtree members)
        // rather than a three-way join, which SQLite without statistics would start from a scan of service_cards.
        SelectCounts =
            $"""
            {subtree}
            SELECT 'organizations' AS kind, '' AS status, COUNT(*) AS n FROM subtree
            UNION ALL
            SELECT 'members', m.status, COUNT(*) FROM subtree s JOIN members m ON m.organization_id = s.id GROUP BY m.status
            UNION ALL
            SELECT 'cards', 'active', COUNT(*)
            FROM service_cards c
            WHERE c.status = 'active' AND c.member_id IN (SELECT m.id FROM subtree s JOIN members m ON m.organization_id = s.id)
            """;

        SelectMembersByName =
            $"""
            SELECT {top}{MemberColumns}
            FROM members m JOIN organizations o ON o.id = m.organization_id
            WHERE m.name = @name
            ORDER BY m.id
            {limit}
            """;

        SelectMemberByIdNumber =
            $"""
            SELECT {MemberColumns}
            FROM members m JOIN organizations o ON o.id = m.organization_id
            WHERE m.id_number = CAST(@id_number AS CHAR(18))
            """;
    }

    public string SelectAnyOrganization { get; }

    public string SelectRoots { get; }

    public string SelectSubtree { get; }

    public string SelectCounts { get; }

    public string SelectMembersByName { get; }

    public string SelectMemberByIdNumber { get; }
}
