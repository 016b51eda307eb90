using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels;

/// <summary>Inbound URLs under this installation's public address (from configuration), as each channel's module lays them out.</summary>
internal sealed class ChannelProvisioner(ChannelModules modules, IOptions<ChannelOptions> options) : IChannelProvisioner
{
    public Uri? InboundUrl(ChannelType type, Guid connectionId) => modules.Find(type)?.InboundUrl(PublicBase(), connectionId);

    private Uri PublicBase()
    {
        var configured = options.Value.PublicBaseUrl ?? "http://localhost:5000/";
        return new Uri(configured.EndsWith('/') ? configured : configured + "/");
    }
}

/// <summary>Configuration section "OneInbox:Channels".</summary>
public sealed class ChannelOptions
{
    public const string Section = "OneInbox:Channels";

    /// <summary>This installation's public HTTPS address, which providers call back (webhooks).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Largest accepted webhook body.</summary>
    public int MaxWebhookBytes { get; set; } = 256 * 1024;

    /// <summary>Attempts before an envelope or outbox row is parked as failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Run the inbound processor, dispatcher and pollers on this node.</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>How long a claim holds before another node may take the row over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first retry delay; later ones double, with jitter, up to MaxRetryDelay.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an idle worker waits before looking for work again.</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Envelopes claimed per round (outbox rows: four times as many). Workers split a claim into units of work (up
    /// to 32 envelopes, 16 outbox rows, as few units as that allows), so a backlog is worked off in few transactions
    /// (ADR 0023).
    /// </summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// Units of inbound work a node runs side by side: a claim is cut into as few units of up to 32 envelopes as it
    /// can be (ADR 0023), and a backlog's units are worked this many at a time.
    /// </summary>
    public int InboundParallelism { get; set; } = 8;

    /// <summary>
    /// Back-pressure under bursts: while more inbound envelopes than this wait to be processed (on any node), a webhook
    /// holds its acknowledgement (its delivery already stored) until there is room, so a provider's burst is paced by
    /// what the workers answer rather than acknowledged ahead of them. 0 turns it off. See <see cref="Inbound.InboundBacklog"/>.
    /// </summary>
    public int InboundBacklogLimit { get; set; } = 1000;

    /// <summary>The longest one acknowledgement is held for a full backlog (providers give up on a webhook call after about a minute).</summary>
    public TimeSpan InboundHoldLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long processed envelopes and sent outbox rows are kept (for replays and diagnosis) before deletion.</summary>
    public TimeSpan ProcessedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Telegram: about 30 messages per second per bot, 1 per second per chat.</summary>
    public double TelegramPerBotPerSecond { get; set; } = 30;

    public TimeSpan TelegramPerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>WhatsApp Cloud API: messages per second per business number (Meta's default throughput is 80/s).</summary>
    public double WhatsAppPerNumberPerSecond { get; set; } = 80;

    /// <summary>WhatsApp: the least time between two messages to one customer (Meta's pair rate answers 131056 beyond it).</summary>
    public TimeSpan WhatsAppPerChatInterval { get; set; } = TimeSpan.Zero;

    /// <summary>getUpdates long-poll timeout.</summary>
    public int PollTimeoutSeconds { get; set; } = 25;
}
