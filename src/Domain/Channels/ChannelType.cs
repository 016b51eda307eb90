namespace OneInbox.Domain.Channels;

/// <summary>The kinds of channel a workspace can connect.</summary>
public enum ChannelType
{
    Telegram = 0,
    WhatsApp = 1,
    Discord = 2,

    /// <summary>The generic API channel: web chat widgets and other integrations.</summary>
    Api = 3,
}
