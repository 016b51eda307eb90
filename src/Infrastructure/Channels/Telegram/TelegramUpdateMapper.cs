using System.Globalization;
using System.Text.Json;
using OneInbox.Application.Attachments;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Inbound;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace OneInbox.Infrastructure.Channels.Telegram;

/// <summary>
/// Telegram update to inbox message. Message ids are unique per chat only, so the provider message id is
/// chat:message; an edit gets its own id (with the edit time) and points at the original through EditOf.
/// </summary>
internal sealed class TelegramUpdateMapper(TelegramClients clients, IAttachmentStore attachments) : IInboundMapper
{
    /// <summary>The public Bot API serves downloads up to 20 MB; larger files stay with Telegram, referenced by id.</summary>
    public const long MaxDownloadBytes = 20 * 1024 * 1024;

    public ChannelType Channel => TelegramModule.Channel;

    public async ValueTask<InboundMessage?> MapAsync(InboundContext context, string payload, CancellationToken cancellationToken)
    {
        var update = JsonSerializer.Deserialize<Update>(payload, JsonBotAPI.Options)
                     ?? throw new JsonException("The stored update is empty.");
        return update.Type switch
        {
            UpdateType.Message => await MapMessageAsync(context, update.Message!, edited: false, cancellationToken),
            UpdateType.EditedMessage => await MapMessageAsync(context, update.EditedMessage!, edited: true, cancellationToken),
            UpdateType.CallbackQuery => await MapCallbackAsync(context, update.CallbackQuery!, cancellationToken),
            _ => null,
        };
    }

    internal static string MessageKey(long chatId, int messageId) =>
        string.Create(CultureInfo.InvariantCulture, $"{chatId}:{messageId}");

    private async ValueTask<InboundMessage?> MapMessageAsync(InboundContext context, Message message, bool edited, CancellationToken cancellationToken)
    {
        if (message.From is { IsBot: true })
            return null;
        var key = MessageKey(message.Chat.Id, message.Id);
        var providerId = edited
            ? string.Create(CultureInfo.InvariantCulture, $"{key}:edit:{new DateTimeOffset(message.EditDate ?? message.Date, TimeSpan.Zero).ToUnixTimeSeconds()}")
            : key;
        var sender = Sender(message.From, message.Chat);
        var sentAt = new DateTimeOffset(DateTime.SpecifyKind(message.EditDate ?? message.Date, DateTimeKind.Utc));
        var chatKey = message.Chat.Id.ToString(CultureInfo.InvariantCulture);
        var text = message.Text ?? message.Caption;
        var editOf = edited ? key : null;
        var replyTo = message.ReplyToMessage is { } answered ? MessageKey(message.Chat.Id, answered.Id) : null;

        InboundMessage Message(MessageKind kind, IReadOnlyList<InboundAttachment>? files = null, InboundLocation? location = null, InboundContactCard? card = null) =>
            new(providerId, sender, chatKey, kind, text, sentAt, files ?? [], location, card, EditOf: editOf, ReplyTo: replyTo);

        return message.Type switch
        {
            MessageType.Text => Message(MessageKind.Text),
            MessageType.Photo => Message(MessageKind.Image,
                [await DownloadAsync(context, MessageKind.Image, message.Photo!.MaxBy(p => (long)p.Width * p.Height)!, null, "image/jpeg", cancellationToken)]),
            MessageType.Document => Message(MessageKind.Document,
                [await DownloadAsync(context, MessageKind.Document, message.Document!, message.Document!.FileName, message.Document.MimeType, cancellationToken)]),
            MessageType.Voice => Message(MessageKind.Audio,
                [await DownloadAsync(context, MessageKind.Audio, message.Voice!, null, message.Voice!.MimeType ?? "audio/ogg", cancellationToken)]),
            MessageType.Audio => Message(MessageKind.Audio,
                [await DownloadAsync(context, MessageKind.Audio, message.Audio!, message.Audio!.FileName, message.Audio.MimeType, cancellationToken)]),
            MessageType.Video => Message(MessageKind.Video,
                [await DownloadAsync(context, MessageKind.Video, message.Video!, message.Video!.FileName, message.Video.MimeType, cancellationToken)]),
            MessageType.VideoNote => Message(MessageKind.Video,
                [await DownloadAsync(context, MessageKind.Video, message.VideoNote!, null, "video/mp4", cancellationToken)]),
            MessageType.Animation => Message(MessageKind.Video,
                [await DownloadAsync(context, MessageKind.Video, message.Animation!, message.Animation!.FileName, message.Animation.MimeType, cancellationToken)]),
            MessageType.Sticker => Message(MessageKind.Sticker,
                [await DownloadAsync(context, MessageKind.Sticker, message.Sticker!, null, StickerType(message.Sticker!), cancellationToken)])
                with { Text = message.Sticker!.Emoji },
            MessageType.Location => Message(MessageKind.Location,
                location: new InboundLocation(message.Location!.Latitude, message.Location.Longitude, null, null)),
            MessageType.Venue => Message(MessageKind.Location,
                location: new InboundLocation(message.Venue!.Location.Latitude, message.Venue.Location.Longitude, message.Venue.Title, message.Venue.Address)),
            MessageType.Contact => Message(MessageKind.ContactCard,
                card: new InboundContactCard(string.Join(' ', new[] { message.Contact!.FirstName, message.Contact.LastName }.Where(n => !string.IsNullOrEmpty(n))),
                    message.Contact.PhoneNumber)),
            _ => null,
        };
    }

    private async ValueTask<InboundMessage?> MapCallbackAsync(InboundContext context, CallbackQuery callback, CancellationToken cancellationToken)
    {
        // The customer's client shows a spinner until the query is answered; answering twice on a retry is harmless.
        await clients.For(context.Endpoint).AnswerCallbackQuery(callback.Id, cancellationToken: cancellationToken);
        var chatId = callback.Message?.Chat.Id ?? callback.From.Id;
        var sentAt = callback.Message is { Date.Year: > 1970 } m ? new DateTimeOffset(DateTime.SpecifyKind(m.Date, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;
        return new InboundMessage(
            "callback:" + callback.Id,
            Sender(callback.From, callback.Message?.Chat),
            chatId.ToString(CultureInfo.InvariantCulture),
            MessageKind.ButtonReply,
            callback.Data,
            sentAt,
            [],
            ButtonPayload: callback.Data);
    }

    private async ValueTask<InboundAttachment> DownloadAsync(InboundContext context, MessageKind kind, FileBase file, string? fileName, string? contentType, CancellationToken cancellationToken)
    {
        if (file.FileSize is > MaxDownloadBytes)
            return new InboundAttachment(kind, file.FileId, null, fileName, contentType, file.FileSize);
        var bot = clients.For(context.Endpoint);
        var info = await bot.GetFile(file.FileId, cancellationToken);
        await using var buffer = new MemoryStream();
        await bot.DownloadFile(info.FilePath!, buffer, cancellationToken);
        buffer.Position = 0;
        var stored = await attachments.SaveAsync(context.WorkspaceId, buffer, MaxDownloadBytes, cancellationToken);
        return new InboundAttachment(kind, file.FileId, stored.StorageKey, fileName, contentType, stored.SizeBytes);
    }

    private static string StickerType(Sticker sticker) =>
        sticker.IsVideo ? "video/webm" : sticker.IsAnimated ? "application/x-tgsticker" : "image/webp";

    private static ChannelSender Sender(User? from, Chat? chat)
    {
        if (from is not null)
        {
            var name = string.Join(' ', new[] { from.FirstName, from.LastName }.Where(n => !string.IsNullOrEmpty(n)));
            return new ChannelSender(from.Id.ToString(CultureInfo.InvariantCulture), name, from.Username, null, from.LanguageCode);
        }
        return new ChannelSender((chat?.Id ?? 0).ToString(CultureInfo.InvariantCulture), chat?.Title, chat?.Username, null, null);
    }
}
