using System.Data.Common;
using System.Globalization;

namespace UnionSync.Sync.Queries;

/// <summary>
/// <see cref="IFederationQueries"/> in ANSI SQL over any <see cref="DbDataSource"/>. A provider's subclass overrides only what
/// its dialect does differently: the recursive CTE keyword, row limits, and how uuids and dates travel.
/// </summary>
public abstract class FederationQueries : IFederationQueries
{
    /// <summary>The deepest subtree walked; the federation has four levels, so this only bounds a cycle written by hand.</summary>
    public const int MaxTreeDepth = 32;

    private readonly DbDataSource _dataSource;
    private FederationStatements? _statements;

    protected FederationQueries(DbDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>How a recursive common table expression starts.</summary>
    protected virtual string RecursiveWith => "WITH RECURSIVE";

    private FederationStatements Statements => _statements ??= new FederationStatements(RecursiveWith, Top("@limit"), Limit("@limit"));

    /// <summary>Every statement text of this dialect, by name, for the tests that parse them (SQL Server's ScriptDom).</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> StatementTexts =>
    [
        new("SelectAnyOrganization", Statements.SelectAnyOrganization),
        new("SelectRoots", Statements.SelectRoots),
        new("SelectSubtree", Statements.SelectSubtree),
        new("SelectCounts", Statements.SelectCounts),
        new("SelectMembersByName", Statements.SelectMembersByName),
        new("SelectMemberByIdNumber", Statements.SelectMemberByIdNumber),
    ];

    public async Task<bool> HasOrganizationsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, Statements.SelectAnyOrganization);
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(result, CultureInfo.InvariantCulture) == 1;
    }

    public async Task<IReadOnlyList<OrganizationNode>> GetRootsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, Statements.SelectRoots);
        return await ReadOrganizationsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OrganizationNode>> GetSubtreeAsync(Guid organizationId, int? maxDepth, CancellationToken cancellationToken = default)
    {
        if (maxDepth is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, "A subtree depth is 0 or more.");
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, Statements.SelectSubtree);
        AddSubtreeParameters(command, organizationId, maxDepth);
        return await ReadOrganizationsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MemberRecord>> FindMembersByNameAsync(string name, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, Statements.SelectMembersByName);
        AddParameter(command, "@name", name);
        AddParameter(command, "@limit", limit);
        return await ReadMembersAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MemberRecord?> FindMemberByIdNumberAsync(string idNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idNumber);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, Statements.SelectMemberByIdNumber);
        AddParameter(command, "@id_number", idNumber);
        var members = await ReadMembersAsync(command, cancellationToken).ConfigureAwait(false);
        return members.Count == 0 ? null : members[0];
    }

    public async Task<SubtreeCounts?> GetCountsAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, Statements.SelectCounts);
        AddSubtreeParameters(command, organizationId, null);

        long organizations = 0, active = 0, transferred = 0, left = 0, cards = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var count = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
                switch (reader.GetString(0), reader.GetString(1))
                {
                    case ("organizations", _): organizations = count; break;
                    case ("cards", _): cards = count; break;
                    case ("members", "active"): active = count; break;
                    case ("members", "transferred"): transferred = count; break;
                    case ("members", "left"): left = count; break;
                    default: break; // a status the contract does not know is in no bucket
                }
            }
        }

        return organizations == 0 ? null : new SubtreeCounts(organizationId, organizations, active, transferred, left, cards);
    }

    /// <summary>Text before the select list that limits the rows to <paramref name="limitParameter"/> (T-SQL <c>TOP</c>); empty by default.</summary>
    protected virtual string Top(string limitParameter) => string.Empty;

    /// <summary>Text after <c>ORDER BY</c> that limits the rows to <paramref name="limitParameter"/>.</summary>
    protected virtual string Limit(string limitParameter) => "LIMIT " + limitParameter;

    /// <summary>The parameter value of a uuid column.</summary>
    protected virtual object UuidValue(Guid value) => value;

    protected virtual Guid ReadUuid(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetFieldValue<Guid>(ordinal);
    }

    protected virtual DateOnly ReadDate(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetFieldValue<DateOnly>(ordinal);
    }

    private static DbCommand CreateCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void AddSubtreeParameters(DbCommand command, Guid organizationId, int? maxDepth)
    {
        AddParameter(command, "@root", UuidValue(organizationId));
        AddParameter(command, "@max_depth", Math.Min(maxDepth ?? MaxTreeDepth, MaxTreeDepth));
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private async Task<IReadOnlyList<OrganizationNode>> ReadOrganizationsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var nodes = new List<OrganizationNode>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(new OrganizationNode(
                ReadUuid(reader, 0),
                await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false) ? null : ReadUuid(reader, 1),
                ReadInt32(reader, 2),
                reader.GetString(3),
                await reader.IsDBNullAsync(4, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                ReadInt32(reader, 7)));
        }

        return nodes;
    }

    private async Task<IReadOnlyList<MemberRecord>> ReadMembersAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var members = new List<MemberRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            members.Add(new MemberRecord(
                ReadUuid(reader, 0),
                ReadUuid(reader, 1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                await reader.IsDBNullAsync(5, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(5),
                ReadDate(reader, 6),
                reader.GetString(7),
                reader.GetBoolean(8),
                ReadInt32(reader, 9),
                ReadInt32(reader, 10)));
        }

        return members;
    }

    private static int ReadInt32(DbDataReader reader, int ordinal) => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
