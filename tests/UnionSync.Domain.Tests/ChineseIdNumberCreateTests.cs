using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class ChineseIdNumberCreateTests
{
    [Fact]
    public void Create_rebuilds_the_standards_example_from_its_parts()
    {
        Assert.Equal("11010519491231002X", ChineseIdNumber.Create("110105", new DateOnly(1949, 12, 31), 2));
    }

    [Fact]
    public void Created_numbers_are_valid_and_carry_their_parts()
    {
        var random = new Random(7);
        for (var n = 0; n < 500; n++)
        {
            var birth = new DateOnly(1940, 1, 1).AddDays(random.Next(0, 70 * 365));
            var sequence = random.Next(0, 1000);

            var created = ChineseIdNumber.Create("320102", birth, sequence);

            Assert.Equal(IndependentCheck.IdCheckCharacter(created[..17]), created[17]);
            var number = ChineseIdNumber.Parse(created);
            Assert.Equal(birth, number.BirthDate);
            Assert.Equal(sequence, number.SequenceCode);
            Assert.Equal(sequence % 2 == 1 ? Sex.Male : Sex.Female, number.Sex);
        }
    }

    [Fact]
    public void Create_refuses_parts_out_of_range()
    {
        Assert.Throws<ArgumentException>(() => ChineseIdNumber.Create("11010", new DateOnly(1980, 1, 1), 1));
        Assert.Throws<ArgumentException>(() => ChineseIdNumber.Create("000000", new DateOnly(1980, 1, 1), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChineseIdNumber.Create("110105", new DateOnly(1700, 1, 1), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChineseIdNumber.Create("110105", new DateOnly(1980, 1, 1), 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChineseIdNumber.Create("110105", new DateOnly(1980, 1, 1), -1));
    }
}
