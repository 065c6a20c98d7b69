namespace UnionSync.Hub.Tests;

[Trait("db", "sqlite")]
public sealed class SqliteHubApiTests(SqliteHubFixture fixture) : HubApiTests<SqliteHubFixture>(fixture), IClassFixture<SqliteHubFixture>;
