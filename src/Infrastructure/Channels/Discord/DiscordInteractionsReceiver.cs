using System.Text.Json;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// The HTTP interactions endpoint (channels.md §3.7), for applications whose Developer Portal points at it:
/// Ed25519 over timestamp + raw body with the connection's public key (fail closed; Discord probes with bad
/// signatures and drops URLs that accept them). PING is answered PONG and stores nothing; a button press is
/// stored as an envelope and acknowledged in the response as a deferred update (type 6), well within 3 s.
/// </summary>
internal sealed class DiscordInteractionsReceiver(TimeProvider clock) : IInboundReceiver
{
    public const string SignatureHeader = "X-Signature-Ed25519";
    public const string TimestampHeader = "X-Signature-Timestamp";

    public ChannelType Channel => DiscordModule.Channel;

    public InboundRoute Route { get; } = new("/webhooks/discord/{connectionId:guid}/interactions");

    public bool Authenticate(InboundAuth connection, InboundRequest request) =>
        connection.Credentials.GetValueOrDefault(DiscordModule.PublicKey) is { } key
        && DiscordInteractionSignature.Verify(key, request.Header(TimestampHeader), request.Header(SignatureHeader), request.Body, clock.GetUtcNow());

    /// <summary>Button presses become envelopes; a PING and interactions the inbox does not use store nothing.</summary>
    public IReadOnlyList<InboundDelivery>? Read(ReadOnlySpan<byte> body)
    {
        if (Interaction(body) is not { } interaction)
            return null;
        if (interaction.Type != DiscordEvents.MessageComponent)
            return [];
        // Server channels are filtered when mapped: here the listed channels are not at hand.
        var delivery = DiscordEvents.Deliver(DiscordEvents.InteractionCreate, interaction.Root, null, _ => true);
        return delivery is null ? [] : [delivery with { Payload = DiscordEvents.Payload(DiscordEvents.InteractionCreate, interaction.Root.GetRawText()) }];
    }

    public string? Reply(ReadOnlySpan<byte> body) => Interaction(body)?.Type switch
    {
        DiscordEvents.Ping => """{"type":1}""",
        DiscordEvents.MessageComponent => """{"type":6}""",
        _ => null,
    };

    private static (int Type, JsonElement Root)? Interaction(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !type.TryGetInt32(out var value) || !root.TryGetProperty("id", out _))
                return null;
            return (value, root.Clone());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
