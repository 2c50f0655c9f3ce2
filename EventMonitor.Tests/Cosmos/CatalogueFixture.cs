using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Cosmos;

/// <summary>One seeded database for the catalogue tests, which only read it.</summary>
public sealed class CatalogueFixture(LocalStack stack) : IAsyncLifetime
{
    internal CatalogueData Data { get; } = CatalogueData.Create();
    public EmulatorDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await EmulatorDatabase.CreateAsync(stack);
        await Data.SeedAsync(Database);
    }

    public async ValueTask DisposeAsync()
    {
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

/// <summary>Names the <c>Queries</c> methods a test runs, for the guard that every catalogue query is tested.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ExercisesAttribute(params string[] queries) : Attribute
{
    public IReadOnlyList<string> Queries { get; } = queries;
}
