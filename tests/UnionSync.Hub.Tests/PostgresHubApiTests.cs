namespace UnionSync.Hub.Tests;

[Trait("db", "postgres")]
public sealed class PostgresHubApiTests(PostgresHubFixture fixture) : HubApiTests<PostgresHubFixture>(fixture), IClassFixture<PostgresHubFixture>;
