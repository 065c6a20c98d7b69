using UnionSync.Testing.Postgres;

[assembly: AssemblyFixture(typeof(PostgresServerFixture))]
