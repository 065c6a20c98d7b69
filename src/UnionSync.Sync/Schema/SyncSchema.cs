using UnionSync.Sync.Errors;

namespace UnionSync.Sync.Schema;

/// <summary>
/// The three synced tables as one database has them, or as two peers share them: the contract's columns and any
/// nullable columns added since (docs/sync-engine.md §10). A session exchanges the columns both sides have; a node that
/// lacks a column keeps syncing the others, and an apply writes only the columns it is given, so a value a node cannot
/// hold is not overwritten on the way through it.
/// </summary>
public sealed class SyncSchema
{
    private SyncSchema(TableDescription organizations, TableDescription members, TableDescription serviceCards)
    {
        Organizations = organizations;
        Members = members;
        ServiceCards = serviceCards;
        All = [organizations, members, serviceCards];
    }

    /// <summary>The contract alone (DESIGN §3), no added column.</summary>
    public static SyncSchema Contract { get; } = new(SyncTables.Organizations, SyncTables.Members, SyncTables.ServiceCards);

    public TableDescription Organizations { get; }

    public TableDescription Members { get; }

    public TableDescription ServiceCards { get; }

    /// <summary>Parents before children, as <see cref="SyncTables.All"/>.</summary>
    public IReadOnlyList<TableDescription> All { get; }

    public bool HasExtraColumns => All.Any(t => t.ExtraColumns.Count > 0);

    public TableDescription Named(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal)) ?? SyncTables.Named(name);

    /// <summary>
    /// A database's schema from its catalog: every contract column must be there; every other column is an added column,
    /// which must be nullable and of a type that syncs (<paramref name="columns"/> gives null for a type that does not).
    /// </summary>
    /// <exception cref="SchemaMismatchException">a contract column is missing, or an added column cannot sync; the message names it.</exception>
    public static SyncSchema FromCatalog(IEnumerable<CatalogColumn> columns, string database)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var byTable = columns.GroupBy(c => c.Table, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var tables = SyncTables.All.Select(table =>
        {
            var found = byTable.GetValueOrDefault(table.Name) ?? [];
            foreach (var contract in table.Columns)
            {
                if (!found.Any(c => string.Equals(c.Column, contract.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new SchemaMismatchException($"{database}: table {table.Name} has no column {contract.Name}, which the contract (DESIGN §3) requires.");
                }
            }

            var extras = new List<ColumnDescription>();
            foreach (var column in found.Where(c => !table.Columns.Any(k => string.Equals(k.Name, c.Column, StringComparison.OrdinalIgnoreCase))))
            {
                if (column.Type is not { } type)
                {
                    throw new SchemaMismatchException(
                        $"{database}: the added column {table.Name}.{column.Column} has type {column.NativeType}, which does not sync; " +
                        "an added column syncs as text or as an integer.");
                }

                if (!string.Equals(column.Column, column.Column.ToLowerInvariant(), StringComparison.Ordinal))
                {
                    throw new SchemaMismatchException(
                        $"{database}: the added column {table.Name}.{column.Column} has capitals in its name; name added columns in lowercase, " +
                        "so that every database spells them alike.");
                }

                if (!column.Nullable)
                {
                    throw new SchemaMismatchException(
                        $"{database}: the added column {table.Name}.{column.Column} is NOT NULL; only nullable columns can be added, " +
                        "so that nodes without the column can still insert rows.");
                }

                extras.Add(new ColumnDescription(column.Column, type, Nullable: true));
            }

            return table.WithExtraColumns([.. extras.OrderBy(c => c.Name, StringComparer.Ordinal)]);
        }).ToArray();
        return new SyncSchema(tables[0], tables[1], tables[2]);
    }

    /// <summary>The columns this schema and <paramref name="other"/> both have (by name; the types must agree).</summary>
    /// <exception cref="SchemaMismatchException">both have a column of one name but of different types.</exception>
    public SyncSchema Intersect(SyncSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var tables = All.Zip(other.All, (mine, theirs) =>
        {
            var shared = new List<ColumnDescription>();
            foreach (var column in mine.ExtraColumns)
            {
                var match = theirs.ExtraColumns.FirstOrDefault(c => string.Equals(c.Name, column.Name, StringComparison.Ordinal));
                if (match is null)
                {
                    continue;
                }

                if (match.Type != column.Type)
                {
                    throw new SchemaMismatchException(
                        $"The added column {mine.Name}.{column.Name} is {column.Type} at one side and {match.Type} at the other; give it one type at both.");
                }

                shared.Add(column);
            }

            return SyncTables.Named(mine.Name).WithExtraColumns(shared);
        }).ToArray();
        return new SyncSchema(tables[0], tables[1], tables[2]);
    }

    /// <summary>This schema without the named added columns (<c>table.column</c>).</summary>
    public SyncSchema Without(IReadOnlySet<string> qualifiedColumns)
    {
        ArgumentNullException.ThrowIfNull(qualifiedColumns);
        var tables = All.Select(t => SyncTables.Named(t.Name).WithExtraColumns([.. t.ExtraColumns.Where(c => !qualifiedColumns.Contains($"{t.Name}.{c.Name}"))])).ToArray();
        return new SyncSchema(tables[0], tables[1], tables[2]);
    }

    /// <summary>Every added column as <c>table.column</c>.</summary>
    public IReadOnlySet<string> ExtraColumnNames() =>
        All.SelectMany(t => t.ExtraColumns.Select(c => $"{t.Name}.{c.Name}")).ToHashSet(StringComparer.Ordinal);
}

/// <summary>One column as a database's catalog lists it; <see cref="Type"/> is null for a type that does not sync.</summary>
public sealed record CatalogColumn(string Table, string Column, ColumnType? Type, string NativeType, bool Nullable);
