using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer;
using UnionSync.Sync.Errors;

namespace UnionSync.Providers.Tests.SqlServer;

public sealed class SqlServerProviderFactoryTests
{
    private const string Secret = "S3cret!pw";

    private readonly SqlServerProviderFactory _factory = new();

    [Fact]
    public void Factory_is_named_sqlserver()
    {
        Assert.Equal("sqlserver", _factory.Name);
    }

    [Theory]
    [InlineData("Server=db,1433;Databse=city;Password=" + Secret, "Databse")]
    [InlineData("Server=db,1433;Database=city;Password=" + Secret + ";Encrypt=perhaps", "encrypt")]
    [InlineData("Database=city;User Id=u;Password=" + Secret, "names no server")]
    [InlineData("Server=db,1433;User Id=u;Password=" + Secret, "names no database")]
    [InlineData("Server=db,1433;Database=master;User Id=u;Password=" + Secret, "system database")]
    public void Bad_connection_string_is_a_configuration_error_with_the_password_masked(string connectionString, string problem)
    {
        var error = Assert.Throws<SyncConfigurationException>(() => _factory.Create(connectionString));

        Assert.Contains(problem, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.Contains("Password=***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_hands_out_a_SqlClient_data_source_and_describes_itself_without_the_password()
    {
        await using var provider = _factory.Create("Server=db.example,1433;Database=city;User Id=u;Password=" + Secret + ";TrustServerCertificate=true");

        Assert.Equal("sqlserver", provider.Name);
        await using var connection = provider.DataSource.CreateConnection();
        Assert.IsType<SqlConnection>(connection);
        Assert.Contains("db.example,1433", provider.Describe(), StringComparison.Ordinal);
        Assert.Contains("city", provider.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, provider.Describe(), StringComparison.Ordinal);
        Assert.Equal([1], provider.Schema.Migrations.Select(m => m.Version));
    }
}
