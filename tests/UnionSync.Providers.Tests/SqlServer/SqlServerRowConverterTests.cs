using UnionSync.Providers.SqlServer.Bulk;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>How a row's values are checked and shaped for SqlBulkCopy before they leave the process.</summary>
public sealed class SqlServerRowConverterTests
{
    private const string IdNumber = "11010519491231002X";

    private static readonly SqlServerRowConverter s_members = new(SyncTables.Members);

    [Fact]
    public void Values_of_every_column_type_are_kept_and_dates_become_midnight_DateTimes()
    {
        var id = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var stamp = new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Utc).AddTicks(1_234_560);

        var row = s_members.Convert(
            [id, organizationId, "张三", IdNumber, null, "91350100M000100Y43", new DateOnly(2025, 5, 5), "active", true, (short)3, stamp, stamp]);

        Assert.Equal(id, row[0]);
        Assert.Equal(IdNumber, row[3]);
        Assert.Same(DBNull.Value, row[4]);
        Assert.Equal(new DateTime(2025, 5, 5), row[6]);
        Assert.Equal(true, row[8]);
        Assert.Equal((short)3, row[9]);
        Assert.Equal(stamp, row[10]);
    }

    [Fact]
    public void Null_in_a_not_null_column_is_a_not_null_violation_naming_the_column()
    {
        var error = Assert.Throws<ProviderException>(() => s_members.Convert(Row(idNumber: null)));

        Assert.Equal(ProviderErrorKind.NotNullViolation, error.Kind);
        Assert.Contains("members.id_number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_of_the_wrong_CLR_type_is_refused_without_quoting_it()
    {
        var error = Assert.Throws<ArgumentException>(() => s_members.Convert(Row(skillLevel: 3)));

        Assert.Contains("members.skill_level", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int16", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_number_longer_than_char_18_is_refused_without_quoting_it()
    {
        var error = Assert.Throws<ProviderException>(() => s_members.Convert(Row(idNumber: IdNumber + "9")));

        Assert.Contains("members.id_number", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    public void Timestamp_that_is_not_UTC_is_refused(DateTimeKind kind)
    {
        var stamp = new DateTime(2026, 1, 1, 8, 30, 0, kind);

        var error = Assert.Throws<ArgumentException>(() => s_members.Convert(Row(createdAt: stamp)));

        Assert.Contains("members.created_at", error.Message, StringComparison.Ordinal);
        Assert.Contains(kind.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamp_is_truncated_to_the_microseconds_datetime2_6_keeps()
    {
        var stamp = new DateTime(2025, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999);

        var row = s_members.Convert(Row(createdAt: stamp));

        var kept = Assert.IsType<DateTime>(row[10]);
        Assert.Equal(stamp.Ticks - 9, kept.Ticks);
        Assert.Equal(DateTimeKind.Utc, kept.Kind);
    }

    [Fact]
    public void Row_with_the_wrong_number_of_values_is_refused()
    {
        Assert.Throws<ArgumentException>(() => s_members.Convert(new object?[5]));
    }

    internal static object?[] Row(string? idNumber = IdNumber, object? skillLevel = null, object? createdAt = null)
    {
        var stamp = new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Utc);
        return
        [
            Guid.CreateVersion7(), Guid.CreateVersion7(), "张三", idNumber, "13812345678", null, new DateOnly(2025, 5, 5), "active", false,
            skillLevel ?? (short)0, createdAt ?? stamp, stamp,
        ];
    }
}
