using UnionSync.Sync.Schema;

namespace UnionSync.Seeding.Tests;

public sealed class GeneratingTwiceFromOneSeed
{
    private static GeneratorOptions Options(long seed) => new() { Members = 3_000, Seed = seed };

    public static TheoryData<string> Tables => [.. SyncTables.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Tables))]
    public void gives_identical_rows_in_the_same_order(string tableName)
    {
        var table = SyncTables.All.Single(t => t.Name == tableName);
        var first = FederationGenerator.EnumerateRows(table, Options(7)).Select(RowText.Of).ToList();
        var second = FederationGenerator.EnumerateRows(table, Options(7)).Select(RowText.Of).ToList();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void with_another_seed_gives_other_rows(string tableName)
    {
        var table = SyncTables.All.Single(t => t.Name == tableName);
        var first = FederationGenerator.EnumerateRows(table, Options(7)).Select(RowText.Of).ToHashSet();
        var other = FederationGenerator.EnumerateRows(table, Options(8)).Select(RowText.Of).ToList();

        Assert.DoesNotContain(other, first.Contains);
    }

    [Fact]
    public void typed_streams_match_the_row_streams()
    {
        var options = Options(11);
        var members = FederationGenerator.EnumerateMembers(options).ToList();
        var rows = FederationGenerator.EnumerateRows(SyncTables.Members, options).ToList();

        Assert.Equal(members.Count, rows.Count);
        for (var i = 0; i < rows.Count; i += 97)
        {
            Assert.Equal(members[i].Id, rows[i][0]);
            Assert.Equal(members[i].IdNumber, rows[i][3]);
            Assert.Equal((short)members[i].SkillLevel, rows[i][9]);
        }
    }

    [Fact]
    public void row_values_have_the_clr_types_of_their_column_types()
    {
        foreach (var table in SyncTables.All)
        {
            foreach (var row in FederationGenerator.EnumerateRows(table, new GeneratorOptions { Members = 200 }).Take(200))
            {
                Assert.Equal(table.Columns.Count, row.Length);
                for (var i = 0; i < row.Length; i++)
                {
                    var column = table.Columns[i];
                    if (row[i] is null)
                    {
                        Assert.True(column.Nullable, $"{table.Name}.{column.Name} is NOT NULL but got null");
                        continue;
                    }

                    var expected = column.Type switch
                    {
                        ColumnType.Uuid => typeof(Guid),
                        ColumnType.Text or ColumnType.FixedText => typeof(string),
                        ColumnType.SmallInt => typeof(short),
                        ColumnType.Boolean => typeof(bool),
                        ColumnType.Date => typeof(DateOnly),
                        ColumnType.Timestamp => typeof(DateTime),
                        _ => throw new InvalidOperationException(column.Type.ToString()),
                    };
                    Assert.IsType(expected, row[i]);
                    if (row[i] is DateTime timestamp)
                    {
                        Assert.Equal(DateTimeKind.Utc, timestamp.Kind);
                        Assert.Equal(0, timestamp.Ticks % 10);
                    }

                    if (column.Type == ColumnType.FixedText)
                    {
                        Assert.Equal(column.Length, ((string)row[i]!).Length);
                    }
                }
            }
        }
    }
}
