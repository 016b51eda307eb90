using OneInbox.Application.Attachments;
using System.Text.Json.Nodes;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

/// <summary>
/// Delivers outbox messages through the Cloud API: text (link previews off), media by public URL or uploaded from
/// attachment storage (the first carries the text as caption), and a flow's choices natively: up to 3 as reply
/// buttons, more as a list (up to 10 rows). The customer's press comes back as a button reply with the same payload.
/// A reply first marks the customer's message it answers as read.
/// </summary>
internal sealed class WhatsAppSender(WhatsAppGraph graph, IAttachmentStore attachments) : IChannelSender
{
    public const int MaxButtons = 3;
    public const int MaxButtonTitle = 20;
    public const int MaxListRows = 10;
    public const int MaxRowTitle = 24;
    public const int MaxRowDescription = 72;
    public const int MaxInteractiveBody = 1024;
    public const int MaxCaption = 1024;

    public ChannelType Channel => WhatsAppModule.Channel;

    public async ValueTask<SendOutcome> SendAsync(ChannelEndpoint endpoint, OutboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (message.MarkRead is { } read && await MarkReadAsync(endpoint, read, cancellationToken) is { } refused)
                return refused;
            if (message.Template is { } template)
            {
                var sentTemplate = await SendOneAsync(endpoint, message.ConversationKey, "template", Template(template), cancellationToken);
                return sentTemplate.Outcome ?? new SendOutcome.Sent(sentTemplate.Id!);
            }
            string? last = null;
            var text = message.Text;
            foreach (var attachment in message.Attachments)
            {
                var type = attachment.Kind switch
                {
                    MessageKind.Image => "image",
                    MessageKind.Video => "video",
                    MessageKind.Audio => "audio",
                    MessageKind.Sticker => "sticker",
                    _ => "document",
                };
                var media = new JsonObject();
                if (attachment.Url is { } url)
                {
                    media["link"] = url;
                }
                else
                {
                    await using var content = await attachments.OpenRequiredAsync(attachment.StorageKey
                        ?? throw new InvalidOperationException("An outbound attachment has neither stored bytes nor a URL."), cancellationToken);
                    var uploaded = await graph.UploadAsync(endpoint, content, attachment.FileName, attachment.ContentType, cancellationToken);
                    if (uploaded.Body?["id"]?.GetValue<string>() is not { } mediaId)
                        return WhatsAppErrors.Classify(uploaded.Error, (int)uploaded.Status, uploaded.RetryAfter);
                    media["id"] = mediaId;
                }
                if (type == "document")
                    media["filename"] = attachment.FileName;
                // Audio and stickers take no caption; the text then goes as its own message.
                if (text is { Length: > 0 and <= MaxCaption } && type is "image" or "video" or "document" && message.Buttons.Count == 0)
                {
                    media["caption"] = text;
                    text = null;
                }
                var sent = await SendOneAsync(endpoint, message.ConversationKey, type, media, cancellationToken);
                if (sent.Outcome is not null)
                    return sent.Outcome;
                last = sent.Id;
            }
            if (message.Buttons.Count > 0)
            {
                var interactive = Interactive(text, message.Buttons);
                var sent = await SendOneAsync(endpoint, message.ConversationKey, "interactive", interactive, cancellationToken);
                if (sent.Outcome is not null)
                    return sent.Outcome;
                last = sent.Id;
            }
            else if (!string.IsNullOrEmpty(text))
            {
                var sent = await SendOneAsync(endpoint, message.ConversationKey, "text", new JsonObject { ["body"] = text, ["preview_url"] = false }, cancellationToken);
                if (sent.Outcome is not null)
                    return sent.Outcome;
                last = sent.Id;
            }
            return last is null
                ? new SendOutcome.Failed("empty_message", "The message has neither text nor attachments.")
                : new SendOutcome.Sent(last);
        }
        catch (HttpRequestException http)
        {
            return new SendOutcome.Transient("network: " + http.HttpRequestError);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome.Transient("whatsapp timed out");
        }
    }

    /// <summary>An approved template with its body parameters as text (the only message allowed outside the 24-hour window).</summary>
    internal static JsonObject Template(OutboundTemplate template)
    {
        var content = new JsonObject { ["name"] = template.Name, ["language"] = new JsonObject { ["code"] = template.Language } };
        if (template.Parameters.Count > 0)
        {
            var parameters = new JsonArray();
            foreach (var parameter in template.Parameters)
                parameters.Add(new JsonObject { ["type"] = "text", ["text"] = parameter });
            content["components"] = new JsonArray { new JsonObject { ["type"] = "body", ["parameters"] = parameters } };
        }
        return content;
    }

    /// <summary>The same choices a Telegram customer gets as inline buttons: reply buttons up to 3, a list beyond.</summary>
    internal static JsonObject Interactive(string? text, IReadOnlyList<OutboundButton> buttons)
    {
        var body = new JsonObject { ["text"] = Cut(string.IsNullOrWhiteSpace(text) ? "Please choose:" : text, MaxInteractiveBody) };
        if (buttons.Count <= MaxButtons)
        {
            var replies = new JsonArray();
            foreach (var button in buttons)
                replies.Add(new JsonObject { ["type"] = "reply", ["reply"] = new JsonObject { ["id"] = button.Payload, ["title"] = Cut(button.Title, MaxButtonTitle) } });
            return new JsonObject { ["type"] = "button", ["body"] = body, ["action"] = new JsonObject { ["buttons"] = replies } };
        }
        var rows = new JsonArray();
        foreach (var button in buttons.Take(MaxListRows))
        {
            var row = new JsonObject { ["id"] = button.Payload, ["title"] = Cut(button.Title, MaxRowTitle) };
            if (button.Title.Length > MaxRowTitle)
                row["description"] = Cut(button.Title, MaxRowDescription);
            rows.Add(row);
        }
        return new JsonObject
        {
            ["type"] = "list",
            ["body"] = body,
            ["action"] = new JsonObject { ["button"] = "Choose", ["sections"] = new JsonArray { new JsonObject { ["rows"] = rows } } },
        };
    }

    /// <summary>
    /// The customer sees blue ticks on the message the business answers. Best effort: a receipt Meta refuses (too old,
    /// already read) must not hold the reply back, and a retried reply sends it again harmlessly. Only what would refuse
    /// the reply as well (a refused token, a rate limit) stops it here.
    /// </summary>
    private async Task<SendOutcome?> MarkReadAsync(ChannelEndpoint endpoint, string customerMessageId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["messaging_product"] = "whatsapp", ["status"] = "read", ["message_id"] = customerMessageId };
        var result = await graph.PostJsonAsync(endpoint, $"{WhatsAppGraph.Setting(endpoint, WhatsAppCredentials.PhoneNumberId)}/messages", body, cancellationToken);
        if (result.Body?["success"]?.GetValue<bool>() == true)
            return null;
        var outcome = WhatsAppErrors.Classify(result.Error, (int)result.Status, result.RetryAfter);
        return outcome is SendOutcome.Held or SendOutcome.RateLimited ? outcome : null;
    }

    private async Task<(string? Id, SendOutcome? Outcome)> SendOneAsync(ChannelEndpoint endpoint, string to, string type, JsonObject content, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = to,
            ["type"] = type,
            [type] = content,
        };
        var result = await graph.PostJsonAsync(endpoint, $"{WhatsAppGraph.Setting(endpoint, WhatsAppCredentials.PhoneNumberId)}/messages", body, cancellationToken);
        if (result.Body?["messages"]?[0]?["id"]?.GetValue<string>() is { } wamid)
            return (wamid, null);
        return (null, WhatsAppErrors.Classify(result.Error, (int)result.Status, result.RetryAfter));
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
