using System.Globalization;
using System.Text.Json;
using OneInbox.Application.Attachments;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Inbound;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// A stored Discord event to an inbox message: a message (text and attachments, copied from the CDN on
/// arrival since its URLs expire, typed by their bytes), an edit (pointing at the original), a system message
/// (an event in the conversation) or a button press. The bot's own and other bots' messages and server
/// channels not listed map to nothing, in case they were stored before the list changed.
/// </summary>
internal sealed class DiscordEventMapper(DiscordClients clients, IAttachmentStore attachments) : IInboundMapper
{
    /// <summary>Discord's upload limit for bots without boosts; larger files stay on the CDN, referenced by URL.</summary>
    public const long MaxDownloadBytes = 25L * 1024 * 1024;

    public ChannelType Channel => DiscordModule.Channel;

    public async ValueTask<InboundMessage?> MapAsync(InboundContext context, string payload, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(payload);
        var name = document.RootElement.GetProperty("t").GetString()!;
        var data = document.RootElement.GetProperty("d");
        var listed = DiscordEvents.ListedChannels(context.Endpoint.Credentials);
        var keys = DiscordEvents.Deliver(name, data, context.Endpoint.Credentials.GetValueOrDefault(DiscordModule.BotUserId), listed.Contains);
        if (keys is null)
            return null;
        return name == DiscordEvents.InteractionCreate
            ? ButtonPress(keys, data)
            : await MessageAsync(context, keys, name == DiscordEvents.MessageUpdate, data, cancellationToken);
    }

    private async ValueTask<InboundMessage?> MessageAsync(InboundContext context, InboundDelivery keys, bool edit, JsonElement data, CancellationToken cancellationToken)
    {
        var author = data.GetProperty("author");
        var content = DiscordEvents.Text(data, "content");
        var type = data.TryGetProperty("type", out var t) ? t.GetInt32() : 0;
        var sentAt = Time(DiscordEvents.Text(data, edit ? "edited_timestamp" : "timestamp") ?? DiscordEvents.Text(data, "timestamp"));
        var sender = Sender(author);
        if (type is not (0 or 19))
        {
            // Joins, pins, boosts and the like: something that happened, not something said.
            return new InboundMessage(keys.ProviderId, sender, keys.ConversationKey, MessageKind.SystemEvent,
                string.Create(CultureInfo.InvariantCulture, $"Discord system message (type {type})"), sentAt, []);
        }
        if (edit && content is null)
            return null; // an update that only changed embeds
        var files = new List<InboundAttachment>();
        if (data.TryGetProperty("attachments", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var attachment in list.EnumerateArray())
                files.Add(await CopyAsync(context, attachment, cancellationToken));
        }
        if (files.Count == 0 && string.IsNullOrEmpty(content))
            return null; // nothing the inbox can show (a sticker or an embed only)
        var kind = files.Count > 0 ? files[0].Kind : MessageKind.Text;
        var replyTo = data.TryGetProperty("message_reference", out var reference) && reference.ValueKind == JsonValueKind.Object
            ? DiscordEvents.Text(reference, "message_id")
            : null;
        return new InboundMessage(keys.ProviderId, sender, keys.ConversationKey, kind, string.IsNullOrEmpty(content) ? null : content, sentAt, files,
            EditOf: edit ? data.GetProperty("id").GetString() : null, ReplyTo: replyTo);
    }

    private static InboundMessage ButtonPress(InboundDelivery keys, JsonElement interaction)
    {
        var customId = interaction.GetProperty("data").GetProperty("custom_id").GetString();
        var label = LabelOf(interaction, customId) ?? customId;
        var user = DiscordEvents.UserOf(interaction)!.Value;
        var sentAt = interaction.TryGetProperty("message", out var message) && DiscordEvents.Text(message, "timestamp") is { } at ? Time(at) : DateTimeOffset.UnixEpoch;
        return new InboundMessage(keys.ProviderId, Sender(user), keys.ConversationKey, MessageKind.ButtonReply, label, sentAt, [], ButtonPayload: customId);
    }

    /// <summary>The label of the pressed button, from the message that carried it.</summary>
    private static string? LabelOf(JsonElement interaction, string? customId)
    {
        if (!interaction.TryGetProperty("message", out var message) || !message.TryGetProperty("components", out var rows) || rows.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var row in rows.EnumerateArray())
        {
            if (!row.TryGetProperty("components", out var buttons) || buttons.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var button in buttons.EnumerateArray())
            {
                if (DiscordEvents.Text(button, "custom_id") == customId)
                    return DiscordEvents.Text(button, "label");
            }
        }
        return null;
    }

    private async ValueTask<InboundAttachment> CopyAsync(InboundContext context, JsonElement attachment, CancellationToken cancellationToken)
    {
        var url = DiscordEvents.Text(attachment, "url");
        var fileName = DiscordEvents.Text(attachment, "filename");
        var declared = DiscordEvents.Text(attachment, "content_type");
        long? size = attachment.TryGetProperty("size", out var s) && s.TryGetInt64(out var bytes) ? bytes : null;
        if (url is null || size > MaxDownloadBytes)
            return new InboundAttachment(KindOf(declared), url, null, fileName, declared, size);
        await using var buffer = new MemoryStream();
        using (var response = await clients.Downloads().GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead, cancellationToken))
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await body.CopyToAsync(buffer, cancellationToken);
        }
        // The bytes decide the type, not what the uploader's client declared.
        var head = buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, ContentSniffer.HeadLength));
        var sniffed = ContentSniffer.Sniff(head);
        buffer.Position = 0;
        var key = (await attachments.SaveAsync(context.WorkspaceId, buffer, MaxDownloadBytes, cancellationToken)).StorageKey;
        // The CDN URL is signed and expires; the id is what identifies the file at Discord.
        return new InboundAttachment(KindOf(sniffed), DiscordEvents.Text(attachment, "id"), key, fileName, sniffed, buffer.Length);
    }

    private static MessageKind KindOf(string? contentType) => contentType switch
    {
        { } c when c.StartsWith("image/", StringComparison.Ordinal) => MessageKind.Image,
        { } c when c.StartsWith("video/", StringComparison.Ordinal) => MessageKind.Video,
        { } c when c.StartsWith("audio/", StringComparison.Ordinal) => MessageKind.Audio,
        _ => MessageKind.Document,
    };

    private static ChannelSender Sender(JsonElement user)
    {
        var username = DiscordEvents.Text(user, "username");
        return new ChannelSender(user.GetProperty("id").GetString()!, DiscordEvents.Text(user, "global_name") ?? username, username, null, null);
    }

    private static DateTimeOffset Time(string? iso) =>
        iso is not null && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.UnixEpoch;
}
