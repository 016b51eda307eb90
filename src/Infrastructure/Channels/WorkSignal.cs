namespace OneInbox.Infrastructure.Channels;

/// <summary>
/// Wakes an idle worker on this node as soon as new work is stored here (a webhook was accepted), instead of
/// waiting out its poll interval. Other nodes still find the work by polling.
/// </summary>
public class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: one wake-up is enough.
            }
        }
    }

    /// <summary>Returns when notified or when the timeout (measured on the given clock) has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _signal.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout passed without a notification: time to look again anyway.
        }
    }

    public void Dispose()
    {
        _signal.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Wakes this node's outbox dispatcher when a unit of work here committed a reply to send.</summary>
public sealed class OutboxWorkSignal : WorkSignal;
