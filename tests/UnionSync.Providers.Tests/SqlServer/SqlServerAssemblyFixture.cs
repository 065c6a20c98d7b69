using UnionSync.Testing.SqlServer;

[assembly: AssemblyFixture(typeof(SqlServerFixture))]
