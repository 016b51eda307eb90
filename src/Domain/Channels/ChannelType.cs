using System.Text.Json.Serialization;

namespace OneInbox.Domain.Channels;

/// <summary>The kinds of channel a workspace can connect; in JSON by the names the channel modules give them.</summary>
public enum ChannelType
{
    Telegram = 0,

    /// <summary>"whatsapp" in JSON, as the connection body, the channel types and trigger filters spell it (camel case would say "whatsApp").</summary>
    [JsonStringEnumMemberName("whatsapp")]
    WhatsApp = 1,
    Discord = 2,

    /// <summary>The generic API channel: web chat widgets and other integrations.</summary>
    Api = 3,
}
