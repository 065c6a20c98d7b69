using System.Globalization;
using UnionSync.Domain.Model;

namespace UnionSync.Domain.Tests;

/// <summary>A small valid federation (city → district → street → grassroots → member → card); tests break one thing at a time with <c>with</c>.</summary>
internal static class Rows
{
    public static readonly DateOnly Today = new(2025, 6, 1);

    public static readonly DateTime CreatedAt = new(2025, 1, 1, 8, 30, 0, DateTimeKind.Utc);

    public static readonly DateTime UpdatedAt = new(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>Born 1990-05-17, male (sequence 123), check character computed by the test.</summary>
    public static readonly string MemberIdNumber = "11010519900517123" + IndependentCheck.IdCheckCharacter("11010519900517123");

    /// <summary>A UnionPay-shaped 16-digit number whose Luhn digit the test computes.</summary>
    public static readonly string CardNumber = "622202123456789" + IndependentCheck.LuhnCheckDigit("622202123456789");

    public static Guid Id(int n) => Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"01970000-0000-7000-8000-{n:D12}"));

    public static Organization City() =>
        new(Id(1), null, OrganizationLevel.City, "市总工会", null, "110000", OrganizationStatus.Active, CreatedAt, UpdatedAt);

    public static Organization District() =>
        new(Id(2), Id(1), OrganizationLevel.District, "朝阳区总工会", null, "110105", OrganizationStatus.Active, CreatedAt, UpdatedAt);

    public static Organization Street() =>
        new(Id(3), Id(2), OrganizationLevel.Street, "建外街道总工会", null, "110105", OrganizationStatus.Active, CreatedAt, UpdatedAt);

    /// <summary>The grassroots union of the employer with the published credit code 91110000600037341L.</summary>
    public static Organization Grassroots() =>
        new(Id(4), Id(3), OrganizationLevel.Grassroots, "某有限公司工会委员会", "91110000600037341L", "110105", OrganizationStatus.Active, CreatedAt, UpdatedAt);

    public static Member Member() =>
        new(Id(10), Id(4), "张伟", MemberIdNumber, "13812345678", "91110000600037341L", new DateOnly(2015, 3, 1), MemberStatus.Active, true, 3, CreatedAt, UpdatedAt);

    public static ServiceCard Card() =>
        new(Id(20), Id(10), CardNumber, "中国工商银行", new DateOnly(2020, 1, 15), new DateOnly(2030, 1, 15), CardStatus.Active, CreatedAt, UpdatedAt);
}
