namespace EventMonitor.Functions.Jobs;

/// <summary>Read-modify-write of a job under its ETag, re-reading and re-deciding when somebody else wrote first.</summary>
internal static class JobUpdates
{
    private const int MaxTries = 10;

    /// <summary>
    /// Applies <paramref name="change"/> to the freshest copy of the job; the change returns null to
    /// leave the job alone. Returns the stored job, or null when the job is gone or the change declined.
    /// </summary>
    public static async Task<Job?> UpdateAsync(this JobStore jobs, Job job, Func<Job, Job?> change, CancellationToken cancellationToken)
    {
        var current = job;
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var changed = change(current);
            if (changed is null)
            {
                return null;
            }
            var stored = await jobs.TryReplaceAsync(changed, cancellationToken);
            if (stored is not null)
            {
                return stored;
            }
            var fresh = await jobs.FindAsync(job.JobId, job.Pk, cancellationToken);
            if (fresh is null)
            {
                return null;
            }
            current = fresh;
        }
        throw new InvalidOperationException($"Job {job.JobId} kept changing under {MaxTries} concurrent updates.");
    }
}
