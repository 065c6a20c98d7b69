using UnionSync.Providers.SqlServer;
using UnionSync.Sync.Errors;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>The translation from SQL Server's error numbers and texts (as the server words them) to <see cref="ProviderException"/>.</summary>
public sealed class SqlServerErrorTranslatorTests
{
    private const string IdNumber = "11010519491231002X";

    [Theory]
    [InlineData(2601, "Cannot insert duplicate key row in object 'dbo.members' with unique index 'ux_members_id_number'. The duplicate key value is (" + IdNumber + ").", "ux_members_id_number")]
    [InlineData(2627, "Violation of UNIQUE KEY constraint 'uq_members_id_number'. Cannot insert duplicate key in object 'dbo.members'. The duplicate key value is (" + IdNumber + ").", "uq_members_id_number")]
    public void Duplicate_key_is_a_unique_violation_that_names_the_index_but_never_the_value(int number, string serverText, string index)
    {
        var error = SqlServerErrorTranslator.Translate(number, serverText, "bulk load of members", new InvalidOperationException(serverText));

        Assert.Equal(ProviderErrorKind.UniqueViolation, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains(index, error.Message, StringComparison.Ordinal);
        Assert.Contains("dbo.members", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("19491231", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void Foreign_key_conflict_is_a_foreign_key_violation()
    {
        var error = SqlServerErrorTranslator.Translate(
            547,
            "The INSERT statement conflicted with the FOREIGN KEY constraint \"fk_members_organization\". The conflict occurred in database \"u\", table \"dbo.organizations\", column 'id'.",
            "bulk load of members",
            null);

        Assert.Equal(ProviderErrorKind.ForeignKeyViolation, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("fk_members_organization", error.Message, StringComparison.Ordinal);
        Assert.Contains("dbo.organizations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_of_a_referenced_row_is_a_foreign_key_violation()
    {
        var error = SqlServerErrorTranslator.Translate(
            547,
            "The DELETE statement conflicted with the REFERENCE constraint \"fk_members_organization\". The conflict occurred in database \"u\", table \"dbo.members\", column 'organization_id'.",
            "apply",
            null);

        Assert.Equal(ProviderErrorKind.ForeignKeyViolation, error.Kind);
    }

    [Fact]
    public void Check_conflict_is_a_check_violation()
    {
        var error = SqlServerErrorTranslator.Translate(
            547,
            "The INSERT statement conflicted with the CHECK constraint \"ck_members_status\". The conflict occurred in database \"u\", table \"dbo.members\", column 'status'.",
            "bulk load of members",
            null);

        Assert.Equal(ProviderErrorKind.CheckViolation, error.Kind);
        Assert.Contains("ck_members_status", error.Message, StringComparison.Ordinal);
        Assert.Contains("'status'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_into_a_not_null_column_is_a_not_null_violation_naming_the_column()
    {
        var error = SqlServerErrorTranslator.Translate(
            515, "Cannot insert the value NULL into column 'name', table 'u.dbo.members'; column does not allow nulls. INSERT fails.", "apply", null);

        Assert.Equal(ProviderErrorKind.NotNullViolation, error.Kind);
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
        Assert.Contains("u.dbo.members", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1205, ProviderErrorKind.Deadlock)]
    [InlineData(3960, ProviderErrorKind.SerializationFailure)]
    [InlineData(-2, ProviderErrorKind.Other)]
    [InlineData(1222, ProviderErrorKind.Other)]
    [InlineData(10054, ProviderErrorKind.ConnectionFailure)]
    [InlineData(40613, ProviderErrorKind.ConnectionFailure)]
    [InlineData(40501, ProviderErrorKind.Other)]
    [InlineData(49918, ProviderErrorKind.Other)]
    [InlineData(10928, ProviderErrorKind.Other)]
    public void Deadlocks_timeouts_and_unavailability_are_transient(int number, ProviderErrorKind kind)
    {
        var inner = new InvalidOperationException("server text");

        var error = SqlServerErrorTranslator.Translate(number, "server text", "commit", inner);

        Assert.Equal(kind, error.Kind);
        Assert.True(error.IsTransient);
        Assert.Same(inner, error.InnerException);
    }

    [Theory]
    [InlineData(2628, "String or binary data would be truncated in table 'u.dbo.members', column 'id_number'. Truncated value: '" + IdNumber + "'.")]
    [InlineData(245, "Conversion failed when converting the nvarchar value '" + IdNumber + "' to data type int.")]
    public void Errors_that_quote_a_value_withhold_the_server_text(int number, string serverText)
    {
        var error = SqlServerErrorTranslator.Translate(number, serverText, "apply", new InvalidOperationException(serverText));

        Assert.False(error.IsTransient);
        Assert.DoesNotContain(IdNumber, error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void Unknown_error_keeps_the_server_text_and_is_not_transient()
    {
        var error = SqlServerErrorTranslator.Translate(208, "Invalid object name 'members'.", "apply", null);

        Assert.Equal(ProviderErrorKind.Other, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("Invalid object name 'members'.", error.Message, StringComparison.Ordinal);
        Assert.Contains("208", error.Message, StringComparison.Ordinal);
    }
}
