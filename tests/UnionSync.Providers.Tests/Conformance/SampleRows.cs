using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>
/// Rows that exercise every column type of DESIGN §3: nulls, an ID number ending in X, Chinese text (with a character
/// outside the BMP), microsecond and sub-microsecond timestamps, leap days, both booleans, smallint bounds.
/// </summary>
internal static class SampleRows
{
    public const string IdNumberWithX = "11010519491231002X";

    public static readonly Guid City = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9d01");
    public static readonly Guid District = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9d02");
    public static readonly Guid Grassroots = Guid.Parse("F47AC10B-58CC-4372-A567-0E02B2C3D479");
    public static readonly Guid MemberA = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9e01");
    public static readonly Guid MemberB = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9e02");
    public static readonly Guid MemberC = Guid.Parse("9c5b94b1-35ad-49bb-b118-8e8fc24abf80");

    public static readonly DateTime Whole = new(2026, 1, 1, 8, 30, 0, DateTimeKind.Utc);
    public static readonly DateTime Micro = Whole.AddTicks(1_234_560);

    /// <summary>Has a tenth of a microsecond, which every writer drops.</summary>
    public static readonly DateTime SubMicro = new DateTime(2025, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999);

    public static readonly DateTime SubMicroTruncated = new DateTime(2025, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990);

    public static object?[][] Organizations() =>
    [
        [City, null, (short)1, "北京市总工会", null, "110000", "active", Whole, Whole],
        [District, City, (short)2, "朝阳区总工会", null, "110105", "active", Whole, Micro],
        [Grassroots, District, (short)4, "北京某某科技有限公司工会", "91110105MA01ABCD2X", "110105", "dissolved", Micro, SubMicro],
    ];

    public static object?[][] Members() =>
    [
        [MemberA, Grassroots, "张伟", IdNumberWithX, "13812345678", "91110105MA01ABCD2X", new DateOnly(2025, 5, 5), "active", true, (short)5, Whole, Micro],
        [MemberB, Grassroots, "李𠮷娜", "440106198001010012", null, null, new DateOnly(2024, 2, 29), "transferred", false, (short)0, SubMicro, Whole],
        [MemberC, Grassroots, "欧阳 娜娜", "310101199912319999", "021-12345678", null, new DateOnly(1999, 12, 31), "left", false, (short)3, Micro, Micro],
    ];

    public static object?[][] ServiceCards() =>
    [
        [Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9f01"), MemberA, "6222021234567890123", "中国工商银行", new DateOnly(2025, 5, 5), new DateOnly(2030, 5, 4), "active", Whole, Whole],
        [Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9f02"), MemberB, "6228480012345678", "中国农业银行", new DateOnly(2024, 2, 29), new DateOnly(2024, 3, 1), "lost", Micro, SubMicro],
        [Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9f03"), MemberC, "6217000010001234567", "中国建设银行", new DateOnly(2020, 1, 1), new DateOnly(2029, 12, 31), "cancelled", Whole, Micro],
    ];

    public static IReadOnlyList<(TableDescription Table, object?[][] Rows)> All() =>
    [
        (SyncTables.Organizations, Organizations()),
        (SyncTables.Members, Members()),
        (SyncTables.ServiceCards, ServiceCards()),
    ];

    /// <summary>What a reader must return for a written row: timestamps truncated to microseconds.</summary>
    public static object?[] Expected(object?[] written) =>
        [.. written.Select(v => v is DateTime t ? new DateTime(t.Ticks - (t.Ticks % 10), DateTimeKind.Utc) : v)];

    public static object?[] Member(Guid id, Guid organization, string idNumber) =>
        [id, organization, "王芳", idNumber, null, null, new DateOnly(2025, 5, 5), "active", false, (short)1, Whole, Whole];
}
