using TiBillet.Testing;

[assembly: AssemblyFixture(typeof(TestPostgres))]
