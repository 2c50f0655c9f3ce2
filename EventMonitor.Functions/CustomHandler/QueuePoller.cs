using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>
/// Polls one queue like the Functions host: up to batchSize invocations in flight, messages kept
/// invisible while they run, retried after visibilityTimeout on failure, and moved to
/// <c>&lt;queue&gt;-poison</c> after maxDequeueCount failed attempts.
/// </summary>
internal sealed partial class QueuePoller(
    FunctionManifest function,
    IConfiguration configuration,
    QueueServiceClient queues,
    SelfInvoker invoker,
    HostQueueSettings settings,
    TriggerRunnerOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var queueName = BindingExpressions.Resolve(function.Get("queueName") ?? throw new InvalidOperationException($"{function.Name} has no queueName."), configuration);
        var queue = queues.GetQueueClient(queueName);
        var poison = queues.GetQueueClient(StorageOptions.PoisonQueueOf(queueName));
        await queue.CreateIfNotExistsAsync(cancellationToken: stopping);
        using var slots = new SemaphoreSlim(Math.Max(1, settings.BatchSize));
        var running = new List<Task>();
        var idle = options.MinPollingInterval;
        // On shutdown, stop taking messages at once but give running invocations the grace period to finish.
        using var invocations = new CancellationTokenSource();
        using var graceTimer = stopping.Register(() => invocations.CancelAfter(options.ShutdownGrace));
        try
        {
            await PollAsync(queue, poison, slots, running, idle, invocations.Token, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: no new messages.
        }
        await Task.WhenAll(running);
    }

    private async Task PollAsync(QueueClient queue, QueueClient poison, SemaphoreSlim slots, List<Task> running, TimeSpan idle, CancellationToken invocation, CancellationToken stopping)
    {
        var queueName = queue.Name;
        while (!stopping.IsCancellationRequested)
        {
            await slots.WaitAsync(stopping);
            var free = slots.CurrentCount + 1;
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(free, options.MessageLease, stopping)).Value;
            }
            catch (RequestFailedException ex)
            {
                slots.Release();
                LogPollFailed(logger, queueName, ex);
                await Task.Delay(settings.MaxPollingInterval, time, stopping);
                continue;
            }
            if (messages.Length == 0)
            {
                slots.Release();
                await Task.Delay(idle, time, stopping);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }
            idle = options.MinPollingInterval;
            // One slot is already held; take one more for each further message.
            for (var i = 1; i < messages.Length; i++)
            {
                await slots.WaitAsync(stopping);
            }
            foreach (var message in messages)
            {
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await HandleAsync(queue, poison, message, invocation);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
            running.RemoveAll(t => t.IsCompleted);
        }
    }

    private async Task HandleAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken invocation)
    {
        var receipt = new Receipt(message.PopReceipt);
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(invocation);
        var renewing = RenewAsync(queue, message.MessageId, receipt, renewal.Token);
        bool succeeded;
        try
        {
            succeeded = await invoker.InvokeAsync(function.Name, Envelope(queue.Name, message, receipt.Value), invocation);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogInvocationFailed(logger, function.Name, message.MessageId, ex);
            succeeded = false;
        }
        await renewal.CancelAsync();
        await renewing;

        try
        {
            if (succeeded)
            {
                await queue.DeleteMessageAsync(message.MessageId, receipt.Value, CancellationToken.None);
            }
            // Cut off by shutdown, the delivery did not fail: it neither counts towards the poison queue
            // nor waits out the visibility timeout (the worker handed its job back).
            else if (message.DequeueCount >= settings.MaxDequeueCount && !invocation.IsCancellationRequested)
            {
                await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
                await poison.SendMessageAsync(message.MessageText, CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, receipt.Value, CancellationToken.None);
                LogPoisoned(logger, function.Name, message.MessageId, message.DequeueCount);
            }
            else
            {
                var retryAfter = invocation.IsCancellationRequested ? TimeSpan.Zero : settings.VisibilityTimeout;
                await queue.UpdateMessageAsync(message.MessageId, receipt.Value, visibilityTimeout: retryAfter, cancellationToken: CancellationToken.None);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The lease ran out and someone else owns the message now; it is theirs to finish.
        }
    }

    private async Task RenewAsync(QueueClient queue, string messageId, Receipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.MessageLease / 2, time, cancellationToken);
                var updated = await queue.UpdateMessageAsync(messageId, receipt.Value, visibilityTimeout: options.MessageLease, cancellationToken: cancellationToken);
                receipt.Value = updated.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException)
        {
            // The invocation ended.
        }
        catch (RequestFailedException ex)
        {
            LogRenewFailed(logger, function.Name, messageId, ex);
        }
    }

    private InvocationRequestOut Envelope(string queueName, QueueMessage message, string popReceipt) => new InvocationRequestOut
    {
        Data = new Dictionary<string, object?> { [function.BindingName] = message.MessageText },
        Metadata = new Dictionary<string, object?>
        {
            ["DequeueCount"] = message.DequeueCount,
            ["Id"] = message.MessageId,
            ["InsertionTime"] = message.InsertedOn,
            ["ExpirationTime"] = message.ExpiresOn,
            ["NextVisibleTime"] = message.NextVisibleOn,
            ["PopReceipt"] = popReceipt,
            ["QueueName"] = queueName,
            ["sys"] = new Dictionary<string, object?> { ["MethodName"] = function.Name, ["UtcNow"] = time.GetUtcNow(), ["RandGuid"] = Guid.NewGuid() },
        },
    };

    private sealed class Receipt(string value)
    {
        public string Value { get; set; } = value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed")]
    private static partial void LogPollFailed(ILogger logger, string queue, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invoking {Function} for message {MessageId} failed")]
    private static partial void LogInvocationFailed(ILogger logger, string function, string messageId, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function}: message {MessageId} moved to the poison queue after {DequeueCount} attempts")]
    private static partial void LogPoisoned(ILogger logger, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function}: could not renew the lease of message {MessageId}")]
    private static partial void LogRenewFailed(ILogger logger, string function, string messageId, Exception ex);
}

/// <summary>The outgoing form of the host's envelope, with free-form values.</summary>
internal sealed record InvocationRequestOut
{
    [System.Text.Json.Serialization.JsonPropertyName("Data")]
    public required Dictionary<string, object?> Data { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("Metadata")]
    public required Dictionary<string, object?> Metadata { get; init; }
}
