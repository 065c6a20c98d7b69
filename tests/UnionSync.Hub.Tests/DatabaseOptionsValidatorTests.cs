using UnionSync.Hub.Configuration;

namespace UnionSync.Hub.Tests;

public sealed class DatabaseOptionsValidatorTests
{
    private readonly DatabaseOptionsValidator _validator = new();

    [Fact]
    public void An_unknown_provider_fails_naming_the_setting_and_the_value()
    {
        var result = _validator.Validate(null, new DatabaseOptions { Provider = "oracle", ConnectionString = "Data Source=x" });

        Assert.True(result.Failed);
        Assert.Contains("UnionSync:Database:Provider", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'oracle'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlserver")]
    public void A_server_provider_without_a_connection_string_fails_naming_the_setting(string provider)
    {
        var result = _validator.Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = " " });

        Assert.True(result.Failed);
        Assert.Contains("UnionSync:Database:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_fails_with_its_password_masked()
    {
        var result = _validator.Validate(null, new DatabaseOptions { Provider = "postgres", ConnectionString = "Host=db;Password=s3cret;Port" });

        Assert.True(result.Failed);
        Assert.Contains("UnionSync:Database:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_provider_with_a_well_formed_connection_string_passes()
    {
        var result = _validator.Validate(null, new DatabaseOptions { Provider = "postgres", ConnectionString = "Host=db;Database=city" });

        Assert.True(result.Succeeded);
    }
}
