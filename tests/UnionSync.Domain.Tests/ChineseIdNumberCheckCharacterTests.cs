using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class ChineseIdNumberCheckCharacterTests
{
    [Fact]
    public void The_standards_own_example_has_check_character_X()
    {
        Assert.Equal('X', ChineseIdNumber.ComputeCheckCharacter("11010519491231002"));
    }
}
