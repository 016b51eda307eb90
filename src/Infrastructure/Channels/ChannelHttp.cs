namespace OneInbox.Infrastructure.Channels;

/// <summary>Names of the HTTP clients channel adapters use; all of them go through the SSRF guard.</summary>
internal static class ChannelHttp
{
    /// <summary>Provider APIs (Telegram Bot API): short calls.</summary>
    public const string Provider = "oneinbox-channels-provider";

    /// <summary>Telegram getUpdates long polls: held open for the poll timeout.</summary>
    public const string LongPoll = "oneinbox-channels-longpoll";

    /// <summary>API channel callbacks to integrations' servers.</summary>
    public const string Callback = "oneinbox-channels-callback";
}
