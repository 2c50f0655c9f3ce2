using System.Text;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Hosting;

/// <summary>
/// Every Cosmos query the app issues, in one place. Each names the partition scope it runs in and
/// the composite index it needs in Azure (declared in <see cref="ContainerDefinitions"/>); the local
/// emulator ignores indexes, so docs/local-cosmos.md is no performance claim.
/// </summary>
internal static class Queries
{
    /// <summary>Q1, events container, single partition (owner): <c>seq</c> is the range index.</summary>
    public static QueryDefinition EventsAfter(long after) =>
        new QueryDefinition("SELECT * FROM c WHERE c.seq > @after ORDER BY c.seq ASC").WithParameter("@after", after);

    /// <summary>Q1b, events container, single partition: the ids of a log, to delete it.</summary>
    public static QueryDefinition EventIds() => new("SELECT c.id FROM c");

    /// <summary>Q1c, state container, single partition (apikeys): the minted API keys, hashes only.</summary>
    public static QueryDefinition ApiKeys() => new("SELECT * FROM c WHERE c.type = 'apikey'");

    /// <summary>Q2, state container, cross-partition: a filtered, sorted page of jobs. Index: (user_id, &lt;sort&gt;).</summary>
    public static QueryDefinition JobPage(JobFilter filter, ListQuery list) => Page(JobWhere(filter), list, "job");

    /// <summary>Q2b: how many jobs the same filter matches.</summary>
    public static QueryDefinition JobCount(JobFilter filter) => Count(JobWhere(filter));

    /// <summary>Q3, state container, single partition (batch): the statuses of a batch's jobs, for recounts.</summary>
    public static QueryDefinition BatchJobStatuses() => new("SELECT c.job_id, c.status FROM c WHERE c.type = 'job'");

    /// <summary>Q3b, state container, single partition (batch): the batch's jobs in one status, oldest first. Index: (type, status, created_at).</summary>
    public static QueryDefinition BatchJobsWithStatus(string status) =>
        new QueryDefinition("SELECT * FROM c WHERE c.type = 'job' AND c.status = @status ORDER BY c.created_at ASC").WithParameter("@status", status);

    /// <summary>Q4, state container, cross-partition: a filtered, sorted page of batches. Index: (user_id, &lt;sort&gt;).</summary>
    public static QueryDefinition BatchPage(BatchFilter filter, ListQuery list) => Page(BatchWhere(filter), list, "batch");

    /// <summary>Q4b: how many batches the same filter matches.</summary>
    public static QueryDefinition BatchCount(BatchFilter filter) => Count(BatchWhere(filter));

    /// <summary>Q5, state container, cross-partition: jobs whose worker lease ran out. Index: (type, status, lease_until).</summary>
    public static QueryDefinition ExpiredLeases(string now) =>
        new QueryDefinition("SELECT * FROM c WHERE c.type = 'job' AND c.status = 'processing' AND c.lease_until < @now").WithParameter("@now", now);

    /// <summary>Q5b: pending jobs whose work item is older than the threshold. Index: (type, status, enqueued_at).</summary>
    public static QueryDefinition StalePending(string before) =>
        new QueryDefinition("SELECT * FROM c WHERE c.type = 'job' AND c.status = 'pending' AND c.enqueued_at < @t").WithParameter("@t", before);

    /// <summary>Q5c: unfinished batches, and finished ones whose completed event a crash left in the outbox; the reconciler recounts them.</summary>
    public static QueryDefinition UnfinishedBatches() =>
        new("SELECT c.batch_id FROM c WHERE c.type = 'batch' AND (c.pending_count > 0 OR c.processing_count > 0 OR (IS_DEFINED(c.outbox) AND NOT IS_NULL(c.outbox)))");

    /// <summary>Q6, state container, cross-partition: unarchived batches that finished before a time. Index: (type, archived, completed_at).</summary>
    public static QueryDefinition ArchivableBatches(string before) =>
        new QueryDefinition("SELECT * FROM c WHERE c.type = 'batch' AND c.archived = false AND IS_DEFINED(c.completed_at) AND NOT IS_NULL(c.completed_at) AND c.completed_at < @t")
            .WithParameter("@t", before);

    /// <summary>Q7, state container, single partition (deadletters): a sorted page of poison messages. Range index on the sort field.</summary>
    public static QueryDefinition DeadLetterPage(ListQuery list) => Page(new Where("deadletter"), list, "deadletter");

    /// <summary>Q7b: how many dead letters there are.</summary>
    public static QueryDefinition DeadLetterCount() => Count(new Where("deadletter"));

    /// <summary>Q8, state container, cross-partition: archived batches archived before a time whose purge has not finished. Index: (type, archived, archived_at).</summary>
    public static QueryDefinition PurgeableBatches(string before) =>
        new QueryDefinition("SELECT * FROM c WHERE c.type = 'batch' AND c.archived = true AND IS_DEFINED(c.archived_at) AND NOT IS_NULL(c.archived_at) AND c.archived_at < @t AND (NOT IS_DEFINED(c.purged_at) OR IS_NULL(c.purged_at))")
            .WithParameter("@t", before);

    private static Where JobWhere(JobFilter f)
    {
        var where = new Where("job");
        where.Equal("user_id", f.UserId);
        where.Equal("status", f.Status);
        where.Equal("batch_id", f.BatchId);
        where.Equal("parameters.event", f.Event);
        where.Equal("job_type", f.JobType);
        where.Contains(f.Text, "job_name", "parameters.event", "parameters.session");
        return where;
    }

    private static Where BatchWhere(BatchFilter f)
    {
        var where = new Where("batch");
        where.Equal("user_id", f.UserId);
        where.Equal("status", f.Status);
        where.Equal("archived", f.Archived);
        where.Equal("active", f.Active);
        where.Equal("event", f.Event);
        where.Contains(f.Text, "batch_name", "event");
        return where;
    }

    private static QueryDefinition Page(Where where, ListQuery list, string type)
    {
        // Sort fields come from a fixed list (ListQuery.Parse), never from free text.
        var sql = $"SELECT * FROM c WHERE {where.Sql} ORDER BY c.{list.Sort} {(list.Descending ? "DESC" : "ASC")} OFFSET @skip LIMIT @limit";
        return where.Bind(new QueryDefinition(sql)).WithParameter("@skip", list.Skip).WithParameter("@limit", list.Limit);
    }

    private static QueryDefinition Count(Where where) => where.Bind(new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE {where.Sql}"));

    /// <summary>Builds a parameterised WHERE clause; values never enter the SQL text.</summary>
    private sealed class Where
    {
        private readonly StringBuilder _sql = new();
        private readonly List<(string Name, object Value)> _parameters = [];

        public Where(string type)
        {
            _sql.Append("c.type = @type ");
            _parameters.Add(("@type", type));
        }

        public string Sql => _sql.ToString().TrimEnd();

        public void Equal(string field, object? value)
        {
            if (value is null)
            {
                return;
            }
            var name = "@p" + _parameters.Count;
            _sql.Append("AND c.").Append(field).Append(" = ").Append(name).Append(' ');
            _parameters.Add((name, value));
        }

        public void Contains(string? text, params string[] fields)
        {
            if (text is null)
            {
                return;
            }
            var name = "@p" + _parameters.Count;
            _sql.Append("AND (").AppendJoin(" OR ", fields.Select(f => $"CONTAINS(c.{f}, {name}, true)")).Append(") ");
            _parameters.Add((name, text));
        }

        public QueryDefinition Bind(QueryDefinition query) =>
            _parameters.Aggregate(query, (q, p) => q.WithParameter(p.Name, p.Value));
    }
}

/// <summary>What a job list may be filtered by; null means "any".</summary>
internal sealed record JobFilter(string? UserId, string? Status = null, string? BatchId = null, string? Event = null, string? JobType = null, string? Text = null);

/// <summary>What a batch list may be filtered by; null means "any".</summary>
internal sealed record BatchFilter(string? UserId, string? Status = null, bool? Archived = null, bool? Active = null, string? Event = null, string? Text = null);
