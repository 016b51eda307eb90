using System.Collections.Concurrent;
using Mediator;
using OneInbox.Domain.Conversations;
using OneInbox.Application.Channels;
using OneInbox.Application.Conversations;

namespace OneInbox.IntegrationTests.Channels;

/// <summary>
/// Watches what the channel pipeline hands the inbox (ReceiveMessage, RecordDeliveryStatus) on its way to
/// the real handlers, so tests can wait for it; it can also make receiving fail for a while, as a broken
/// database would, to prove retries.
/// </summary>
public sealed class InboxRecorder
{
    private readonly ConcurrentDictionary<string, ReceiveMessage> _received = new();
    private readonly ConcurrentQueue<ReceiveMessage> _calls = new();
    private readonly ConcurrentQueue<RecordDeliveryStatus> _statuses = new();

    private int _failuresToCause;

    /// <summary>While positive, receiving fails (as a broken inbox would) and counts down.</summary>
    public int FailuresToCause
    {
        get => Volatile.Read(ref _failuresToCause);
        set => Volatile.Write(ref _failuresToCause, value);
    }

    /// <summary>A message with exactly this text is always refused, as a poison message would be.</summary>
    public string? RefusedText { get; set; }

    public IReadOnlyList<ReceiveMessage> Received => _received.Values.OrderBy(r => r.Message.SentAt).ToList();

    /// <summary>Every ReceiveMessage sent, duplicates included, in arrival order.</summary>
    public IReadOnlyList<ReceiveMessage> Calls => _calls.ToArray();

    public IReadOnlyList<RecordDeliveryStatus> Statuses => _statuses.ToArray();

    internal void BeforeReceive(ReceiveMessage command)
    {
        if (Interlocked.Decrement(ref _failuresToCause) >= 0)
            throw new InvalidOperationException("The inbox is unavailable.");
        if (RefusedText is { } refused && command.Message.Text == refused)
            throw new InvalidOperationException("The inbox refuses this message.");
    }

    internal void AfterReceive(ReceiveMessage command)
    {
        _calls.Enqueue(command);
        _received.TryAdd(command.ConnectionId + "/" + command.Message.ProviderMessageId, command);
    }

    internal void Record(RecordDeliveryStatus status) => _statuses.Enqueue(status);

    public async Task WaitUntilAsync(Func<InboxRecorder, bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition(this))
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
                throw new TimeoutException($"Waited in vain for {what ?? "the inbox"}; received {Calls.Count}, statuses {Statuses.Count}.");
            await Task.Delay(25);
        }
    }
}

internal sealed class RecordingSender(ISender inner, InboxRecorder recorder) : ISender
{
    public ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        inner.Send(request, cancellationToken);

    public ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default)
    {
        switch (command)
        {
            case ReceiveMessage receive:
                recorder.BeforeReceive(receive);
                return ReceiveAsync<TResponse>(receive, cancellationToken);
            case RecordDeliveryStatus status:
                recorder.Record(status);
                return inner.Send(command, cancellationToken);
            default:
                return inner.Send(command, cancellationToken);
        }
    }

    private async ValueTask<TResponse> ReceiveAsync<TResponse>(ReceiveMessage receive, CancellationToken cancellationToken)
    {
        var result = await inner.Send(receive, cancellationToken);
        recorder.AfterReceive(receive);
        return (TResponse)(object)result;
    }

    public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        inner.Send(query, cancellationToken);

    public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) => inner.Send(message, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        inner.CreateStream(query, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        inner.CreateStream(request, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) =>
        inner.CreateStream(command, cancellationToken);

    public IAsyncEnumerable<object?> CreateStream(object message, CancellationToken cancellationToken = default) =>
        inner.CreateStream(message, cancellationToken);
}
