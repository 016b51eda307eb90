using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>One channel's outbound adapter: delivers a message through the provider's API.</summary>
public interface IChannelSender
{
    ChannelType Channel { get; }

    ValueTask<SendOutcome> SendAsync(ChannelEndpoint endpoint, OutboundMessage message, CancellationToken cancellationToken);
}

/// <summary>How a send ended; the dispatcher turns it into a delivery status or a retry.</summary>
public abstract record SendOutcome
{
    private SendOutcome()
    {
    }

    /// <summary>The provider accepted the message.</summary>
    public sealed record Sent(string ProviderMessageId) : SendOutcome;

    /// <summary>The provider asked us to slow down (429 with retry_after, or a rate-limit code).</summary>
    public sealed record RateLimited(TimeSpan RetryAfter) : SendOutcome;

    /// <summary>Worth trying again later: network failure, provider 5xx.</summary>
    public sealed record Transient(string Reason) : SendOutcome;

    /// <summary>Will never succeed as it is: blocked by the user, chat not found, bad credentials.</summary>
    public sealed record Failed(string ReasonCode, string Reason) : SendOutcome;
}
