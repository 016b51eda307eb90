using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>What a send came to, recorded on its outbox row, plus what the message's delivery status and the connection's health learn from it.</summary>
/// <param name="Report">The delivery status to record on the message, when the outcome is final.</param>
/// <param name="Error">What the connection's health shows, when the send went wrong.</param>
internal sealed record AppliedOutcome(RecordDeliveryStatus? Report, string? Error);

/// <summary>
/// The dispatcher's outcome policy: a success is final; being told to slow down waits without counting as a
/// failure; a failure that may pass retries with backoff and parks after the configured attempts
/// (<see cref="RetryPolicy"/>, the rule the inbound processor follows too); a failure that never will parks at once.
/// </summary>
internal sealed partial class DeliveryOutcomes(IOptions<ChannelOptions> options, TimeProvider clock, ILogger<DeliveryOutcomes> logger)
{
    /// <summary>How long a held row waits before it is tried again anyway (in case the provider recovers by itself).</summary>
    private static readonly TimeSpan HoldFor = TimeSpan.FromHours(6);

    private RetryPolicy Retries => new(options.Value.MaxAttempts, options.Value.FirstRetryDelay, options.Value.MaxRetryDelay);

    public AppliedOutcome Apply(OutboxMessage row, SendOutcome outcome)
    {
        switch (outcome)
        {
            case SendOutcome.Sent sent:
                row.MarkSent(sent.ProviderMessageId, clock);
                return new(new RecordDeliveryStatus(row.MessageId, DeliveryStatus.Sent, null, sent.ProviderMessageId), null);
            case SendOutcome.RateLimited limited:
                // Being told to slow down is not a failure of the message: it waits, it is never parked for it.
                row.ScheduleRetry("rate_limited", clock.GetUtcNow() + limited.RetryAfter);
                return new(null, null);
            case SendOutcome.Transient transient:
                switch (Retries.Decide(row.Attempts, clock.GetUtcNow()))
                {
                    case RetryDecision.Retry retry:
                        row.ScheduleRetry(transient.Reason, retry.At);
                        return new(null, "outbound: " + transient.Reason);
                    default:
                        row.Park("retries_exhausted: " + transient.Reason);
                        LogParked(row.Id, row.Attempts);
                        return new(new RecordDeliveryStatus(row.MessageId, DeliveryStatus.Failed, "retries_exhausted", null), "outbound: " + transient.Reason);
                }
            case SendOutcome.Held held:
                // Retrying cannot help until someone fixes the connection; rotating its credentials resumes the row.
                row.Hold($"{held.ReasonCode}: {held.Reason}", clock.GetUtcNow() + HoldFor);
                return new(null, $"outbound: {held.ReasonCode}");
            case SendOutcome.Failed failed:
                row.Park($"{failed.ReasonCode}: {failed.Reason}");
                return new(new RecordDeliveryStatus(row.MessageId, DeliveryStatus.Failed, failed.ReasonCode, null), $"outbound: {failed.ReasonCode}");
            default:
                throw new InvalidOperationException("Unknown send outcome.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {OutboxId} parked after {Attempts} attempts")]
    private partial void LogParked(Guid outboxId, int attempts);
}
