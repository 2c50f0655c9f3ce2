using EventMonitor.Functions.Hosting;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Tests.Cosmos;

/// <summary>
/// Runs a catalogue query the ways the app can: <see cref="CosmosQuery.ListAsync{T}"/> as the stores
/// call it, <see cref="CosmosQuery.StreamAsync{T}"/> at other page sizes, and resumed from a
/// continuation token on a fresh iterator per page. Every way must give the same rows in the same order.
/// </summary>
internal static class QueryRuns
{
    public static readonly int[] AllPageSizes = [1, 7, 50];

    public static async Task<List<T>> RunAsync<T>(Container container, QueryDefinition query, string? partition, Func<T, string> id, int[] pageSizes)
    {
        var listed = await container.ListAsync<T>(query, partition, CancellationToken.None);
        var expected = Ids(listed, id);
        foreach (var size in pageSizes)
        {
            var streamed = await container.StreamAsync<T>(query, partition, CancellationToken.None, size).ToListAsync();
            Assert.True(Ids(streamed, id) == expected, $"{query.QueryText} at page size {size}:\n  got      {Ids(streamed, id)}\n  expected {expected}");
        }
        var resumed = await ResumedAsync<T>(container, query, partition, 7);
        Assert.True(Ids(resumed, id) == expected, $"{query.QueryText} resumed from tokens:\n  got      {Ids(resumed, id)}\n  expected {expected}");
        return listed;
    }

    /// <summary>
    /// Sorted results: the sort keys must be exactly the expected window's, each row a matching document
    /// with its own key, no row twice. Among equal keys any order is right (Azure breaks ties by
    /// partition), so only a tie group cut by the window's edge may hold a different subset.
    /// </summary>
    public static void AssertOrdered<T>(IReadOnlyList<T> actual, IReadOnlyList<T> expectedSorted, int skip, int limit, Func<T, string> id, Func<T, string> key, string what)
    {
        var window = expectedSorted.Skip(skip).Take(limit).Select(key).ToList();
        Assert.True(window.SequenceEqual(actual.Select(key)), $"{what}: sort keys\n  got      {string.Join(",", actual.Select(key))}\n  expected {string.Join(",", window)}");
        Assert.True(actual.Select(id).Distinct().Count() == actual.Count, $"{what}: a row came twice: {Ids(actual, id)}");
        var keys = expectedSorted.ToDictionary(id, key);
        foreach (var row in actual)
        {
            Assert.True(keys.TryGetValue(id(row), out var k) && k == key(row), $"{what}: {id(row)} should not be in the result");
        }
    }

    /// <summary>The expected order: Cosmos compares these keys as strings, ordinally.</summary>
    public static List<T> Sorted<T>(IEnumerable<T> items, Func<T, string> key, bool descending) =>
        descending ? items.OrderByDescending(key, StringComparer.Ordinal).ToList() : items.OrderBy(key, StringComparer.Ordinal).ToList();

    public static void AssertSameSet<T>(IEnumerable<T> actual, IEnumerable<T> expected, Func<T, string> id, string what)
    {
        var got = actual.Select(id).Order(StringComparer.Ordinal).ToList();
        var want = expected.Select(id).Order(StringComparer.Ordinal).ToList();
        Assert.True(got.SequenceEqual(want), $"{what}:\n  got      {string.Join(",", got)}\n  expected {string.Join(",", want)}");
    }

    private static async Task<List<T>> ResumedAsync<T>(Container container, QueryDefinition query, string? partition, int pageSize)
    {
        var options = new QueryRequestOptions { MaxItemCount = pageSize };
        if (partition is not null)
        {
            options.PartitionKey = new PartitionKey(partition);
        }
        var items = new List<T>();
        string? token = null;
        do
        {
            using var iterator = container.GetItemQueryIterator<T>(query, token, options);
            var page = await iterator.ReadNextAsync();
            items.AddRange(page);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return items;
    }

    private static string Ids<T>(IEnumerable<T> items, Func<T, string> id) => string.Join(",", items.Select(id));
}
