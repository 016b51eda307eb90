using OneInbox.Application.Attachments;
using System.Net;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// Delivers outbox messages over REST v10: text split at 2000 characters, files as one multipart message with
/// the first part of the text, buttons as action rows on the last message (their custom_id is the flow's payload,
/// which comes back with the press). In a server channel the answer mentions the user whose conversation it is;
/// nobody else is pinged. A conversation key of the form <c>@&lt;user id&gt;</c> (an agent starting a DM) opens the
/// DM first. 50007 and 50013 are failures with a reason, not retries.
/// </summary>
internal sealed class DiscordSender(DiscordClients clients, IAttachmentStore attachments) : IChannelSender
{
    private const int MaxButtons = DiscordRestClient.MaxRows * DiscordRestClient.MaxButtonsPerRow;

    public ChannelType Channel => DiscordModule.Channel;

    public async ValueTask<SendOutcome> SendAsync(ChannelEndpoint endpoint, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Buttons.Count > MaxButtons)
            return new SendOutcome.Failed("too_many_buttons", $"Discord shows at most {MaxButtons} buttons on a message.");
        if (message.Buttons.Any(b => b.Payload.Length is 0 or > DiscordRestClient.MaxCustomId))
            return new SendOutcome.Failed("button_payload_too_long", $"A Discord button's payload must be 1 to {DiscordRestClient.MaxCustomId} characters.");
        var client = clients.For(endpoint);
        var streams = new List<Stream>();
        try
        {
            var (channelId, mention) = DiscordEvents.Target(message.ConversationKey);
            if (channelId.StartsWith('@'))
                channelId = (await client.OpenDirectMessageAsync(channelId[1..], cancellationToken)).Id;
            var prefix = mention is null ? "" : $"<@{mention}> ";
            var parts = string.IsNullOrEmpty(message.Text) ? [] : DiscordText.Split(message.Text, DiscordRestClient.MaxContent - prefix.Length);
            var files = new List<DiscordFile>();
            foreach (var attachment in message.Attachments)
            {
                var content = attachment.StorageKey is { } key
                    ? await attachments.OpenRequiredAsync(key, cancellationToken)
                    : await clients.Downloads().GetStreamAsync(new Uri(attachment.Url ?? throw new InvalidOperationException("An outbound attachment has neither stored bytes nor a URL.")), cancellationToken);
                streams.Add(content);
                files.Add(new DiscordFile(attachment.FileName, attachment.ContentType, content));
            }
            var buttons = message.Buttons.Select(b => new DiscordButton(Label(b.Title), b.Payload)).ToList();
            var count = Math.Max(1, parts.Count);
            if (parts.Count == 0 && files.Count == 0 && buttons.Count == 0)
                return new SendOutcome.Failed("empty_message", "The message has neither text, attachments nor buttons.");
            DiscordCreatedMessage? last = null;
            for (var i = 0; i < count; i++)
            {
                var text = i < parts.Count ? prefix + parts[i] : (prefix.Length > 0 ? prefix.TrimEnd() : null);
                var draft = new DiscordMessageDraft(
                    text,
                    i == count - 1 ? buttons : [],
                    i == 0 ? files : [],
                    MentionUserId: mention,
                    // The nonce makes a retry after a lost answer return the message already posted.
                    Nonce: Nonce(message.MessageId, i));
                last = await client.CreateMessageAsync(channelId, draft, cancellationToken);
            }
            return new SendOutcome.Sent(last!.Id);
        }
        catch (DiscordRateLimitedException limited)
        {
            return new SendOutcome.RateLimited(limited.RetryAfter);
        }
        catch (DiscordApiException api)
        {
            return Classify(api);
        }
        catch (HttpRequestException http)
        {
            return new SendOutcome.Transient("network: " + http.HttpRequestError);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome.Transient("timeout");
        }
        finally
        {
            foreach (var stream in streams)
                await stream.DisposeAsync();
        }
    }

    private static string Label(string title) => title.Length <= DiscordRestClient.MaxLabel ? title : title[..(DiscordRestClient.MaxLabel - 1)] + "…";

    /// <summary>At most 25 characters: the message id's 22 base64 characters and the part number.</summary>
    private static string Nonce(Guid messageId, int part) =>
        Convert.ToBase64String(messageId.ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + part;

    internal static SendOutcome Classify(DiscordApiException api) => api switch
    {
        { Code: 50007 } => new SendOutcome.Failed("cannot_message_user", "Discord does not let the bot message this user (they block DMs from server members or the bot)."),
        { Code: 50013 } => new SendOutcome.Failed("missing_permissions", "The bot lacks a permission in this channel (Send Messages, Attach Files or Read Message History)."),
        { Code: 50001 } => new SendOutcome.Failed("missing_access", "The bot cannot see this channel."),
        { Code: 10003 } => new SendOutcome.Failed("unknown_channel", "Discord does not know this channel."),
        { Status: HttpStatusCode.Unauthorized } => new SendOutcome.Failed("unauthorized", "Discord refused the bot token."),
        { Status: >= HttpStatusCode.InternalServerError } => new SendOutcome.Transient($"discord {(int)api.Status}"),
        _ => new SendOutcome.Failed("rejected", $"Discord refused the message ({(int)api.Status}, code {api.Code})."),
    };
}
