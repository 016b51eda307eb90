using System.Text.Json;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Inbound;

namespace OneInbox.Infrastructure.Channels.Api;

/// <summary>What an integration posts to its connection's inbound URL (see docs/channels-api.md).</summary>
internal sealed record ApiInboundPayload(string Id, string ConversationId, ApiSender Sender, string? Text, DateTimeOffset? SentAt, string? ButtonPayload)
{
    public static ApiInboundPayload? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<ApiInboundPayload>(body, JsonSerializerOptions.Web);
            return payload is { Id.Length: > 0 and <= InboundEnvelope.MaxProviderIdLength, ConversationId.Length: > 0 and <= InboundEnvelope.MaxConversationKeyLength }
                   && payload.Sender is { Id.Length: > 0 }
                   && (!string.IsNullOrEmpty(payload.Text) || !string.IsNullOrEmpty(payload.ButtonPayload))
                ? payload
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record ApiSender(string Id, string? Name, string? Username, string? Locale);

/// <summary>The API channel's inbound endpoint: authenticated by the connection's bearer token, one message per call.</summary>
internal sealed class ApiPayloadReader : IInboundReceiver
{
    public ChannelType Channel => ApiModule.Channel;

    public InboundRoute Route { get; } = new("/api/v1/channels/{connectionId:guid}/inbound", "PostApiChannelInbound",
        "An integration delivers a customer's message; authenticated by the connection's bearer token.");

    public bool Authenticate(InboundAuth connection, InboundRequest request) =>
        AcceptInboundHandler.SecretMatches(connection.Secret, BearerToken(request.Header("Authorization")));

    public IReadOnlyList<InboundDelivery>? Read(ReadOnlySpan<byte> body) =>
        ApiInboundPayload.Parse(body) is { } payload ? [new InboundDelivery(payload.Id, payload.ConversationId)] : null;

    private static string? BearerToken(string? header) =>
        header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
}

internal sealed class ApiInboundMapper(TimeProvider clock) : IInboundMapper
{
    public ChannelType Channel => ApiModule.Channel;

    public ValueTask<InboundMessage?> MapAsync(InboundContext context, string payload, CancellationToken cancellationToken)
    {
        var parsed = ApiInboundPayload.Parse(System.Text.Encoding.UTF8.GetBytes(payload))
                     ?? throw new JsonException("The stored API channel payload is not readable.");
        var kind = parsed.ButtonPayload is not null ? MessageKind.ButtonReply : MessageKind.Text;
        return ValueTask.FromResult<InboundMessage?>(new InboundMessage(
            parsed.Id,
            new ChannelSender(parsed.Sender.Id, parsed.Sender.Name, parsed.Sender.Username, null, parsed.Sender.Locale),
            parsed.ConversationId,
            kind,
            parsed.Text ?? parsed.ButtonPayload,
            parsed.SentAt ?? clock.GetUtcNow(),
            [],
            ButtonPayload: parsed.ButtonPayload));
    }
}
