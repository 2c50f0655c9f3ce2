using System.Net;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Hosting;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Events;

/// <summary>
/// Append-only event logs. Ids come from a per-owner counter advanced with a Patch increment, so
/// they are strictly increasing and never reused, even across processes; a crash between the
/// increment and the write leaves a gap, never a duplicate.
/// </summary>
internal sealed class EventLog(StateStore store, TimeProvider time)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;
    private const string SequenceId = "sequence";

    public Task<JobEvent> AppendAsync(string ownerId, string type, string level, string message, JsonObject? payload, CancellationToken cancellationToken) =>
        AppendAsync(ownerId, null, type, level, message, payload, cancellationToken);

    /// <summary>
    /// Appends an event that must appear once however often this is called: its document id is the
    /// key, so a repeat after a crash finds it there and adds nothing (a skipped sequence number at most).
    /// True when this call logged it.
    /// </summary>
    public Task<bool> AppendOnceAsync(string ownerId, PendingEvent pending, CancellationToken cancellationToken) =>
        AppendOnceAsync(ownerId, pending.Key, pending.Type, pending.Level, pending.Message, pending.Payload, cancellationToken);

    /// <inheritdoc cref="AppendOnceAsync(string, PendingEvent, CancellationToken)"/>
    public async Task<bool> AppendOnceAsync(string ownerId, string key, string type, string level, string message, JsonObject? payload, CancellationToken cancellationToken)
    {
        if (await store.Events.ReadOrNullAsync<EventDocument>("once-" + key, ownerId, cancellationToken) is not null)
        {
            return false;
        }
        try
        {
            await AppendAsync(ownerId, "once-" + key, type, level, message, payload, cancellationToken);
            return true;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Logged by a concurrent repeat.
            return false;
        }
    }

    /// <summary>The event logged under <paramref name="key"/> by <see cref="AppendOnceAsync(string, PendingEvent, CancellationToken)"/>, or null.</summary>
    public async Task<JobEvent?> FindOnceAsync(string ownerId, string key, CancellationToken cancellationToken) =>
        (await store.Events.ReadOrNullAsync<EventDocument>("once-" + key, ownerId, cancellationToken))?.ToEvent();

    private async Task<JobEvent> AppendAsync(string ownerId, string? id, string type, string level, string message, JsonObject? payload, CancellationToken cancellationToken)
    {
        var seq = await NextSequenceAsync(ownerId, cancellationToken);
        var document = new EventDocument
        {
            Id = id ?? seq.ToString("D12"),
            Pk = ownerId,
            Seq = seq,
            Type = type,
            Level = level,
            Message = message,
            Payload = payload,
            Timestamp = Math.Round(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, 3),
        };
        await store.Events.CreateItemAsync(document, new PartitionKey(ownerId), cancellationToken: cancellationToken);
        return document.ToEvent();
    }

    public async Task<IReadOnlyList<JobEvent>> ReadAsync(string ownerId, long after, int limit, CancellationToken cancellationToken)
    {
        var query = Queries.EventsAfter(after);
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(ownerId), MaxItemCount = limit };
        var events = new List<JobEvent>(Math.Min(limit, 64));
        using var iterator = store.Events.GetItemQueryIterator<EventDocument>(query, requestOptions: options);
        while (iterator.HasMoreResults && events.Count < limit)
        {
            foreach (var document in await iterator.ReadNextAsync(cancellationToken))
            {
                if (events.Count == limit)
                {
                    break;
                }
                events.Add(document.ToEvent());
            }
        }
        return events;
    }

    /// <summary>Removes a deleted owner's log, counter included.</summary>
    public async Task DeleteAllAsync(string ownerId, CancellationToken cancellationToken)
    {
        await foreach (var item in store.Events.StreamAsync<IdOnly>(Queries.EventIds(), ownerId, cancellationToken))
        {
            await store.Events.DeleteIfExistsAsync(item.Id, ownerId, cancellationToken);
        }
    }

    private async Task<long> NextSequenceAsync(string ownerId, CancellationToken cancellationToken)
    {
        var key = new PartitionKey(ownerId);
        try
        {
            return await IncrementAsync(key, cancellationToken);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            try
            {
                await store.Events.CreateItemAsync(new SequenceDocument { Id = SequenceId, Pk = ownerId, Next = 0 }, key, cancellationToken: cancellationToken);
            }
            catch (CosmosException conflict) when (conflict.StatusCode == HttpStatusCode.Conflict)
            {
                // Another writer created it first; its counter is as good as ours.
            }
            return await IncrementAsync(key, cancellationToken);
        }
    }

    private async Task<long> IncrementAsync(PartitionKey key, CancellationToken cancellationToken)
    {
        var response = await store.Events.PatchItemAsync<SequenceDocument>(SequenceId, key, [PatchOperation.Increment("/next", 1)], cancellationToken: cancellationToken);
        return response.Resource.Next;
    }

    private sealed record SequenceDocument
    {
        public required string Id { get; init; }
        public required string Pk { get; init; }
        public required long Next { get; init; }
    }

    private sealed record IdOnly
    {
        public required string Id { get; init; }
    }
}
