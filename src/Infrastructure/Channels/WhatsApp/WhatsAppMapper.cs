using OneInbox.Application.Attachments;
using System.Globalization;
using System.Text.Json;
using Mediator;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;
using OneInbox.Infrastructure.Channels.Inbound;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

/// <summary>
/// A stored WhatsApp envelope to the inbox: a customer's message becomes an inbox message of the matching kind
/// (media fetched from Graph and stored; interactive and template replies as button presses; reactions, system and
/// unsupported messages as system events, never dropped); a status moves the delivery status of our message.
/// </summary>
internal sealed class WhatsAppMapper(WhatsAppGraph graph, IAttachmentStore attachments, ISender sender) : IInboundMapper
{
    /// <summary>Cloud API media are at most 100 MB (documents); larger ones stay with Meta, referenced by id.</summary>
    public const long MaxDownloadBytes = 100L * 1024 * 1024;

    public ChannelType Channel => WhatsAppModule.Channel;

    public async ValueTask<InboundMessage?> MapAsync(InboundContext context, string payload, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.TryGetProperty("status", out var status))
        {
            await RecordStatusAsync(context, status, cancellationToken);
            return null;
        }
        var waId = root.GetProperty("waId").GetString()!;
        var name = root.TryGetProperty("name", out var n) ? n.GetString() : null;
        return await MapMessageAsync(context, root.GetProperty("message"), waId, name, cancellationToken);
    }

    internal async ValueTask<InboundMessage> MapMessageAsync(InboundContext context, JsonElement message, string waId, string? name, CancellationToken cancellationToken)
    {
        var wamid = message.GetProperty("id").GetString()!;
        var from = Text(message, "from") ?? waId;
        var sentAt = long.TryParse(Text(message, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;
        var customer = new ChannelSender(waId, name, null, "+" + from, null);
        var type = Text(message, "type") ?? "unknown";

        var replyTo = message.TryGetProperty("context", out var replied) ? Text(replied, "id") : null;

        InboundMessage Message(MessageKind kind, string? text, IReadOnlyList<InboundAttachment>? files = null, InboundLocation? location = null,
            InboundContactCard? card = null, string? button = null) =>
            new(wamid, customer, waId, kind, text, sentAt, files ?? [], location, card, button, ReplyTo: replyTo);

        switch (type)
        {
            case "text":
                return Message(MessageKind.Text, Text(message.GetProperty("text"), "body"));
            case "image" or "video" or "audio" or "document" or "sticker":
                var media = message.GetProperty(type);
                var kind = type switch
                {
                    "image" => MessageKind.Image,
                    "video" => MessageKind.Video,
                    "audio" => MessageKind.Audio,
                    "sticker" => MessageKind.Sticker,
                    _ => MessageKind.Document,
                };
                var file = await DownloadAsync(context, kind, Text(media, "id")!, Text(media, "filename"), Text(media, "mime_type"), cancellationToken);
                return Message(kind, Text(media, "caption"), [file]);
            case "location":
                var place = message.GetProperty("location");
                return Message(MessageKind.Location, null, location: new InboundLocation(place.GetProperty("latitude").GetDouble(),
                    place.GetProperty("longitude").GetDouble(), Text(place, "name"), Text(place, "address")));
            case "contacts":
                var shared = message.GetProperty("contacts").EnumerateArray().FirstOrDefault();
                var formatted = shared.ValueKind == JsonValueKind.Object && shared.TryGetProperty("name", out var cardName) ? Text(cardName, "formatted_name") : null;
                var phone = shared.ValueKind == JsonValueKind.Object && shared.TryGetProperty("phones", out var phones)
                    ? phones.EnumerateArray().Select(p => Text(p, "phone")).FirstOrDefault(p => p is not null)
                    : null;
                return Message(MessageKind.ContactCard, null, card: new InboundContactCard(formatted ?? phone ?? "Contact", phone));
            case "interactive":
                // A reply button or a list row: a button press with the id we gave it, so flows' questions and menus resume.
                var interactive = message.GetProperty("interactive");
                var reply = interactive.TryGetProperty("button_reply", out var b) ? b : interactive.TryGetProperty("list_reply", out var l) ? l : default;
                return reply.ValueKind == JsonValueKind.Object
                    ? Message(MessageKind.ButtonReply, Text(reply, "title"), button: Text(reply, "id"))
                    : Message(MessageKind.SystemEvent, "Unsupported interactive reply");
            case "button":
                var quick = message.GetProperty("button");
                return Message(MessageKind.ButtonReply, Text(quick, "text"), button: Text(quick, "payload"));
            case "reaction":
                // Shown on the message it reacts to; an empty emoji takes the reaction back.
                var reaction = message.GetProperty("reaction");
                return Message(MessageKind.SystemEvent, Text(reaction, "emoji") ?? string.Empty) with { ReactionTo = Text(reaction, "message_id") };
            case "system":
                return Message(MessageKind.SystemEvent, Text(message.GetProperty("system"), "body") ?? "System message");
            default:
                var error = message.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().FirstOrDefault() : default;
                var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) ? c.GetRawText() : null;
                return Message(MessageKind.SystemEvent, code is null ? $"Unsupported {type} message" : $"Unsupported {type} message (WhatsApp error {code})");
        }
    }

    /// <summary>GET /{media-id} for a short-lived URL, then that URL with the bearer token; stored like any inbound file.</summary>
    private async ValueTask<InboundAttachment> DownloadAsync(InboundContext context, MessageKind kind, string mediaId, string? fileName, string? contentType,
        CancellationToken cancellationToken)
    {
        var info = await graph.GetAsync(context.Endpoint, mediaId, cancellationToken);
        if (info.Body is null)
            throw new HttpRequestException($"The Graph API did not describe the media (code {info.Error?.Code}).");
        var size = long.TryParse(info.Body["file_size"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var declared) ? declared : (long?)null;
        contentType ??= info.Body["mime_type"]?.GetValue<string>();
        if (size > MaxDownloadBytes || info.Body["url"]?.GetValue<string>() is not { } url)
            return new InboundAttachment(kind, mediaId, null, fileName, contentType, size);
        await using var content = await graph.DownloadAsync(context.Endpoint, new Uri(url), MaxDownloadBytes, cancellationToken);
        var stored = await attachments.SaveAsync(context.WorkspaceId, content, MaxDownloadBytes, cancellationToken);
        return new InboundAttachment(kind, mediaId, stored.StorageKey, fileName, contentType, stored.SizeBytes);
    }

    private async Task RecordStatusAsync(InboundContext context, JsonElement status, CancellationToken cancellationToken)
    {
        var state = Text(status, "status") switch
        {
            "sent" => DeliveryStatus.Sent,
            "delivered" => DeliveryStatus.Delivered,
            "read" => DeliveryStatus.Read,
            "failed" => DeliveryStatus.Failed,
            _ => (DeliveryStatus?)null,
        };
        if (state is null)
            return;
        string? reason = null;
        if (state == DeliveryStatus.Failed && status.TryGetProperty("errors", out var errors) && errors.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } error)
            reason = WhatsAppErrors.Reason(error.TryGetProperty("code", out var code) && code.TryGetInt32(out var number) ? number : 0, Text(error, "title"));
        await sender.Send(new RecordProviderStatus(context.Endpoint.ConnectionId, Text(status, "id")!, state.Value, reason), cancellationToken);
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
