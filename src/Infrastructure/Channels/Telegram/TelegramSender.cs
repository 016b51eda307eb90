using System.Globalization;
using System.Net.Sockets;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace OneInbox.Infrastructure.Channels.Telegram;

/// <summary>
/// Delivers outbox messages through the Bot API: text with an inline keyboard for buttons, media uploaded
/// from attachment storage or passed as a public URL (the first attachment carries the text as caption; the
/// buttons go on the last message sent).
/// </summary>
internal sealed class TelegramSender(TelegramClients clients, IChannelAttachmentStore attachments) : IChannelSender
{
    /// <summary>Telegram's caption limit; longer text goes as its own message after the media.</summary>
    private const int MaxCaption = 1024;

    public ChannelType Channel => TelegramModule.Channel;

    public async ValueTask<SendOutcome> SendAsync(ChannelEndpoint endpoint, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (!long.TryParse(message.ConversationKey, NumberStyles.Integer, CultureInfo.InvariantCulture, out var chatId))
            return new SendOutcome.Failed("chat_not_found", "The conversation key is not a Telegram chat id.");
        var bot = clients.For(endpoint);
        var keyboard = message.Buttons.Count == 0
            ? null
            : new InlineKeyboardMarkup(message.Buttons.Select(b => new[] { InlineKeyboardButton.WithCallbackData(b.Title, b.Payload) }));
        try
        {
            Message? last = null;
            var text = message.Text;
            for (var i = 0; i < message.Attachments.Count; i++)
            {
                var attachment = message.Attachments[i];
                var caption = i == 0 && text is { Length: <= MaxCaption } ? text : null;
                if (caption is not null)
                    text = null;
                var markup = i == message.Attachments.Count - 1 && text is null ? keyboard : null;
                // A URL goes to Telegram as is (it downloads the file itself); stored bytes are uploaded.
                await using var content = attachment.Url is null && attachment.StorageKey is { } key
                    ? await attachments.OpenReadAsync(key, cancellationToken)
                    : null;
                InputFile file = content is null
                    ? InputFile.FromUri(attachment.Url ?? throw new InvalidOperationException("An outbound attachment has neither stored bytes nor a URL."))
                    : InputFile.FromStream(content, attachment.FileName);
                last = attachment.Kind switch
                {
                    MessageKind.Image => await bot.SendPhoto(chatId, file, caption, replyMarkup: markup, cancellationToken: cancellationToken),
                    MessageKind.Video => await bot.SendVideo(chatId, file, caption, replyMarkup: markup, cancellationToken: cancellationToken),
                    MessageKind.Audio => await bot.SendAudio(chatId, file, caption, replyMarkup: markup, cancellationToken: cancellationToken),
                    _ => await bot.SendDocument(chatId, file, caption, replyMarkup: markup, cancellationToken: cancellationToken),
                };
            }
            if (!string.IsNullOrEmpty(text))
                last = await bot.SendMessage(chatId, text, replyMarkup: keyboard, cancellationToken: cancellationToken);
            return last is null
                ? new SendOutcome.Failed("empty_message", "The message has neither text nor attachments.")
                : new SendOutcome.Sent(MessageKey(chatId, last.Id));
        }
        catch (ApiRequestException api)
        {
            return Classify(api);
        }
        catch (RequestException transport) when (transport.InnerException is HttpRequestException or SocketException or TaskCanceledException or IOException)
        {
            return new SendOutcome.Transient("network: " + transport.InnerException.GetType().Name);
        }
        catch (RequestException transport)
        {
            return new SendOutcome.Transient("unexpected response: " + transport.Message);
        }
        catch (HttpRequestException http)
        {
            return new SendOutcome.Transient("network: " + http.HttpRequestError);
        }
    }

    private static string MessageKey(long chatId, int messageId) => TelegramUpdateMapper.MessageKey(chatId, messageId);

    /// <summary>Telegram branches on error code and parameters; the description only tells 403 and 400 cases apart.</summary>
    internal static SendOutcome Classify(ApiRequestException api)
    {
        var description = api.Message ?? string.Empty;
        return api.ErrorCode switch
        {
            429 => new SendOutcome.RateLimited(TimeSpan.FromSeconds(Math.Max(1, api.Parameters?.RetryAfter ?? 1))),
            >= 500 => new SendOutcome.Transient($"telegram {api.ErrorCode}"),
            401 or 404 => new SendOutcome.Failed("unauthorized", "The bot token was refused."),
            403 when description.Contains("blocked", StringComparison.OrdinalIgnoreCase) => new SendOutcome.Failed("blocked_by_user", "The customer blocked the bot."),
            403 when description.Contains("deactivated", StringComparison.OrdinalIgnoreCase) => new SendOutcome.Failed("user_deactivated", "The customer's account is deleted."),
            403 => new SendOutcome.Failed("forbidden", "Telegram refused to deliver to this chat."),
            400 when description.Contains("chat not found", StringComparison.OrdinalIgnoreCase) => new SendOutcome.Failed("chat_not_found", "Telegram does not know this chat."),
            400 when description.Contains("too long", StringComparison.OrdinalIgnoreCase) => new SendOutcome.Failed("message_too_long", "The message is longer than Telegram allows."),
            400 when api.Parameters?.MigrateToChatId is not null => new SendOutcome.Failed("chat_migrated", "The group became a supergroup."),
            _ => new SendOutcome.Failed("rejected", $"Telegram refused the message ({api.ErrorCode})."),
        };
    }
}
