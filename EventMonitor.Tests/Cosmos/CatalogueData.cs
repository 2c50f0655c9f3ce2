using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Tests.Cosmos;

/// <summary>
/// The documents the catalogue tests query, built with the app's own record types: batches, jobs in
/// batch partitions and stand-alone, job locators, and two event logs. Values repeat on purpose, so
/// every sort has ties and every filter matches some documents and misses others.
/// </summary>
internal sealed class CatalogueData
{
    public const string LogA = "log-a";
    public const string LogB = "log-b";
    public static readonly DateTimeOffset Epoch = new(2025, 2, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly IReadOnlyList<string> Users = ["alice", "bob", "carol"];
    public static readonly IReadOnlyList<string?> EventNames = ["fosdem-2025", "FOSDEM-2024", "pycon-2025", null];
    private static readonly string[] Names = ["Keynote", "keynote", "Rust devroom", "Go devroom", "Lightning talk", "Closing", "Opening"];

    public List<Batch> Batches { get; } = [];
    public List<Job> Jobs { get; } = [];
    public List<EventDocument> Events { get; } = [];

    /// <summary>Batches that own jobs; the rest are empty partitions.</summary>
    public IEnumerable<Batch> BatchesWithJobs => Batches.Where(b => Jobs.Any(j => j.BatchId == b.BatchId));

    public static CatalogueData Create()
    {
        var random = new Random(20250201);
        var data = new CatalogueData();
        for (var i = 0; i < 30; i++)
        {
            var status = BatchStatus.All[i % BatchStatus.All.Count];
            var terminal = BatchStatus.IsTerminal(status);
            var id = $"batch-{i:D2}";
            data.Batches.Add(new Batch
            {
                Id = id,
                Pk = id,
                BatchId = id,
                BatchName = $"{Names[random.Next(Names.Length)]} {i % 4}",
                Status = status,
                Active = i % 4 != 1,
                Archived = i % 5 == 0,
                PendingCount = terminal ? 0 : random.Next(0, 2),
                ProcessingCount = terminal ? 0 : random.Next(0, 2),
                UserId = Users[i % Users.Count],
                Event = EventNames[i % EventNames.Count],
                CreatedAt = Epoch.AddMinutes(10 * random.Next(0, 8)),
                UpdatedAt = Epoch.AddMinutes(500 + (i * 7 % 30)),
                CompletedAt = terminal ? Epoch.AddMinutes(random.Next(0, 300)) : null,
                // Fixed values (no draw from the seeded random), so the other documents stay as they were.
                ArchivedAt = i % 5 == 0 && i % 3 != 0 ? Epoch.AddMinutes(300 + (i * 2)) : null,
                PurgedAt = i % 10 == 0 && i % 3 != 0 ? Epoch.AddMinutes(400) : null,
                Outbox = i % 7 == 3 ? new PendingEvent { Key = $"{id}:completed", Type = "completed", Level = EventLevel.Success, Message = "Batch finished." } : null,
            });
        }
        for (var i = 0; i < 130; i++)
        {
            var batch = i % 3 == 0 ? null : data.Batches[random.Next(0, 8)];
            var id = $"job-{i:D3}";
            var status = JobStatus.All[random.Next(JobStatus.All.Count)];
            data.Jobs.Add(new Job
            {
                Id = id,
                Pk = batch?.BatchId ?? id,
                JobId = id,
                JobName = $"{Names[random.Next(Names.Length)]}{(i % 2 == 0 ? "" : " " + (i % 3))}",
                JobType = i % 7 == 0 ? "event" : "session",
                Status = status,
                BatchId = batch?.BatchId,
                UserId = batch?.UserId ?? Users[random.Next(Users.Count)],
                Parameters = new JobParameters
                {
                    Event = EventNames[random.Next(EventNames.Count)],
                    Session = i % 4 == 0 ? null : $"{Names[random.Next(Names.Length)]} session {i}",
                },
                LeaseUntil = status == JobStatus.Processing || i % 5 == 0 ? Epoch.AddMinutes(random.Next(0, 60)) : null,
                EnqueuedAt = i % 6 == 5 ? null : Epoch.AddMinutes(random.Next(0, 60)),
                CreatedAt = Epoch.AddMinutes(random.Next(0, 30)),
                UpdatedAt = Epoch.AddMinutes(1000 + (i * 37 % 130)),
            });
        }
        foreach (var (owner, count) in new[] { (LogA, 130), (LogB, 40) })
        {
            for (var seq = 1; seq <= count; seq++)
            {
                data.Events.Add(new EventDocument
                {
                    Id = seq.ToString("D12"),
                    Pk = owner,
                    Seq = seq,
                    Type = "progress",
                    Level = EventLevel.Info,
                    Message = $"step {seq}",
                    Timestamp = Epoch.AddSeconds(seq).ToUnixTimeSeconds(),
                });
            }
        }
        return data;
    }

    /// <summary>Writes everything in a shuffled order, so no result can pass by matching insertion order.</summary>
    public async Task SeedAsync(EmulatorDatabase database)
    {
        var writes = new List<Func<Task>>();
        writes.AddRange(Batches.Select(b => (Func<Task>)(() => database.State.CreateItemAsync(b, new PartitionKey(b.Pk)))));
        writes.AddRange(Jobs.Select(j => (Func<Task>)(() => database.State.CreateItemAsync(j, new PartitionKey(j.Pk)))));
        // The locator the app writes beside a batch job, in the job's own partition: never a job row.
        writes.AddRange(Jobs.Where(j => j.BatchId is not null).Select(j => (Func<Task>)(() =>
            database.State.CreateItemAsync(new Locator(j.JobId, j.JobId, "job-locator", j.BatchId!), new PartitionKey(j.JobId)))));
        writes.AddRange(Events.Select(e => (Func<Task>)(() => database.Events.CreateItemAsync(e, new PartitionKey(e.Pk)))));
        // The per-log counter document the app keeps beside its events.
        writes.AddRange(new[] { LogA, LogB }.Select(owner => (Func<Task>)(() =>
            database.Events.CreateItemAsync(new Counter("sequence", owner, Events.Count(e => e.Pk == owner)), new PartitionKey(owner)))));
        var shuffled = writes.OrderBy(_ => Random.Shared.Next()).ToList();
        await Parallel.ForEachAsync(shuffled, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (write, _) => await write());
    }

    /// <summary>The value a list query sorts a job by, as Cosmos compares it (strings, ordinal).</summary>
    public static string SortKey(Job job, string field) => field switch
    {
        "created_at" => UtcTimestampConverter.Text(job.CreatedAt),
        "updated_at" => UtcTimestampConverter.Text(job.UpdatedAt),
        "status" => job.Status,
        "job_name" => job.JobName,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "A new sort field needs its key here."),
    };

    public static string SortKey(Batch batch, string field) => field switch
    {
        "created_at" => UtcTimestampConverter.Text(batch.CreatedAt),
        "updated_at" => UtcTimestampConverter.Text(batch.UpdatedAt),
        "status" => batch.Status,
        "batch_name" => batch.BatchName,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "A new sort field needs its key here."),
    };

    /// <summary>JobFilter as the catalogue's WHERE clause means it.</summary>
    public static bool Matches(Job j, JobFilter f) =>
        (f.UserId is null || j.UserId == f.UserId)
        && (f.Status is null || j.Status == f.Status)
        && (f.BatchId is null || j.BatchId == f.BatchId)
        && (f.Event is null || j.Parameters.Event == f.Event)
        && (f.JobType is null || j.JobType == f.JobType)
        && (f.Text is null || Contains(j.JobName, f.Text) || Contains(j.Parameters.Event, f.Text) || Contains(j.Parameters.Session, f.Text));

    public static bool Matches(Batch b, BatchFilter f) =>
        (f.UserId is null || b.UserId == f.UserId)
        && (f.Status is null || b.Status == f.Status)
        && (f.Archived is null || b.Archived == f.Archived)
        && (f.Active is null || b.Active == f.Active)
        && (f.Event is null || b.Event == f.Event)
        && (f.Text is null || Contains(b.BatchName, f.Text) || Contains(b.Event, f.Text));

    // CONTAINS(x, y, true) on a null or missing x is undefined, which WHERE treats as false.
    private static bool Contains(string? value, string text) => value is not null && value.Contains(text, StringComparison.OrdinalIgnoreCase);

    private sealed record Locator(string Id, string Pk, string Type, string BatchId);

    private sealed record Counter(string Id, string Pk, long Next);
}
