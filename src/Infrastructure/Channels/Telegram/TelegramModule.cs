using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace OneInbox.Infrastructure.Channels.Telegram;

/// <summary>
/// Telegram bots: a bot token; inbound by webhook (registered with setWebhook and its secret_token) or by
/// getUpdates polling for servers without a public address; paced per bot and per chat.
/// </summary>
internal sealed partial class TelegramModule(TelegramClients clients, IOptions<ChannelOptions> options) : IChannelModule
{
    public const ChannelType Channel = ChannelType.Telegram;
    public static readonly Uri PublicApi = new("https://api.telegram.org");
    internal static readonly UpdateType[] Updates = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery];

    public ChannelType Type => Channel;

    public ChannelTypeDto Description { get; } = new(
        "telegram",
        "Telegram",
        ["webhook", "polling"],
        [new ChannelFieldDto(ChannelCredentials.BotToken, "Bot token", ChannelFieldKinds.Secret, true, "From @BotFather", null, null)],
        [ChannelCredentials.BotToken],
        Provider: "Telegram Messenger (Bot API)");

    public TimeSpan? ReplyWindow => null;

    public SendPacing? Pacing => new(options.Value.TelegramPerBotPerSecond, options.Value.TelegramPerChatInterval);

    /// <summary>A private chat's id is the user's id; the bot may write once the user has started it.</summary>
    public ValueTask<string?> StartConversationAsync(ChannelEndpoint endpoint, string externalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(externalId);

    /// <summary>Telegram's own shape, <c>&lt;bot id&gt;:&lt;secret&gt;</c>; the client library refuses anything else.</summary>
    [GeneratedRegex(@"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")]
    private static partial Regex TokenShape();

    public void Validate(ChannelSettings settings, bool creating, ConnectionMode mode, IList<ChannelFieldError> errors)
    {
        if (settings.Text(ChannelCredentials.BotToken) is { } token && !TokenShape().IsMatch(token))
            errors.Add(new ChannelFieldError(ChannelCredentials.BotToken, "Must be a Telegram bot token: <bot id>:<secret>."));
    }

    /// <summary>The token is proven by setWebhook (or the first poll); nothing to ask Telegram before.</summary>
    public ValueTask<ChannelSetup> SetUpAsync(ChannelSettings settings, Uri? baseUrl, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ChannelSetup(new Dictionary<string, string> { [ChannelCredentials.BotToken] = settings.Text(ChannelCredentials.BotToken)! }, null));

    public ValueTask<ChannelSetup> ChangeAsync(ChannelSettings changes, ChannelSetup current, Uri? baseUrl, CancellationToken cancellationToken)
    {
        var credentials = current.Credentials.ToDictionary();
        if (changes.Text(ChannelCredentials.BotToken) is { } token)
            credentials[ChannelCredentials.BotToken] = token;
        return ValueTask.FromResult(current with { Credentials = credentials });
    }

    public Uri? InboundUrl(Uri publicBase, Guid connectionId) => new(publicBase, $"webhooks/telegram/{connectionId}");

    public async ValueTask ApplyModeAsync(ChannelEndpoint endpoint, Uri? inboundUrl, ConnectionMode mode, string inboundSecret, CancellationToken cancellationToken)
    {
        var bot = clients.For(endpoint);
        if (mode == ConnectionMode.Webhook)
        {
            await bot.SetWebhook(inboundUrl!.ToString(), allowedUpdates: Updates, secretToken: inboundSecret, cancellationToken: cancellationToken);
        }
        else
        {
            // Polling and a webhook exclude each other at Telegram; keep the queued updates for the poller.
            await bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken);
        }
    }

    public async ValueTask RemoveAsync(ChannelEndpoint endpoint, ConnectionMode mode, CancellationToken cancellationToken)
    {
        if (mode == ConnectionMode.Webhook)
            await clients.For(endpoint).DeleteWebhook(cancellationToken: cancellationToken);
    }
}
