using System.Net;
using EventMonitor.Functions.Hosting;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.DeadLetters;

/// <summary>Dead letters in the <c>state</c> container, all in one partition: few, and read only by operators.</summary>
internal sealed class DeadLetterStore(StateStore store)
{
    public static readonly IReadOnlyList<string> Sortable = ["created_at"];

    /// <summary>Creates the dead letter unless one with its id exists; either way returns the stored one.</summary>
    public async Task<DeadLetter> RecordAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.State.CreateItemAsync(letter, new PartitionKey(DeadLetter.Partition), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            return await FindAsync(letter.Id, cancellationToken) ?? letter;
        }
    }

    public Task<DeadLetter?> FindAsync(string id, CancellationToken cancellationToken) =>
        store.State.ReadOrNullAsync<DeadLetter>(id, DeadLetter.Partition, cancellationToken);

    public async Task<(List<DeadLetter> Page, long Total)> ListAsync(ListQuery list, CancellationToken cancellationToken)
    {
        var page = await store.State.ListAsync<DeadLetter>(Queries.DeadLetterPage(list), DeadLetter.Partition, cancellationToken);
        var total = await store.State.CountAsync(Queries.DeadLetterCount(), DeadLetter.Partition, cancellationToken);
        return (page, total);
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        store.State.DeleteIfExistsAsync(id, DeadLetter.Partition, cancellationToken);
}
