using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Application.Channels;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// What the inbox keeps of a Discord event and how it is keyed. An envelope's payload is the event's name and
/// data, <c>{"t": "MESSAGE_CREATE", "d": {…}}</c>, whether it came over the gateway or (interactions) over HTTP.
/// Conversations: a DM is its channel; in a server channel each user has their own conversation,
/// <c>&lt;channel id&gt;:&lt;user id&gt;</c>, so answers go to that channel mentioning that user.
/// </summary>
internal static class DiscordEvents
{
    public const string MessageCreate = "MESSAGE_CREATE";
    public const string MessageUpdate = "MESSAGE_UPDATE";
    public const string InteractionCreate = "INTERACTION_CREATE";

    /// <summary>Interaction type 1 (PING) and 3 (MESSAGE_COMPONENT: a button).</summary>
    public const int Ping = 1;
    public const int MessageComponent = 3;

    public static string Payload(string eventName, string dataJson) =>
        new JsonObject { ["t"] = eventName, ["d"] = JsonNode.Parse(dataJson) }.ToJsonString();

    /// <summary>The conversation key of a DM channel, or of one user in a server channel.</summary>
    public static string ConversationKey(string channelId, string? guildId, string userId) =>
        guildId is null ? channelId : channelId + ":" + userId;

    /// <summary>Splits a conversation key into the channel to post in and, for a server channel, the user to mention.</summary>
    public static (string ChannelId, string? UserId) Target(string conversationKey)
    {
        var colon = conversationKey.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (conversationKey, null) : (conversationKey[..colon], conversationKey[(colon + 1)..]);
    }

    /// <summary>
    /// The envelope keys of a dispatch the inbox wants, or null for everything else: the bot's own and other
    /// bots' messages, webhooks' messages, and server channels not listed on the connection.
    /// </summary>
    public static InboundDelivery? Deliver(string eventName, JsonElement data, string? botUserId, Func<string, bool> isListed)
    {
        switch (eventName)
        {
            case MessageCreate or MessageUpdate:
                if (!data.TryGetProperty("id", out var id) || !data.TryGetProperty("channel_id", out var channel)
                    || !data.TryGetProperty("author", out var author) || author.ValueKind != JsonValueKind.Object)
                    return null; // an update without an author changes embeds only
                var authorId = author.GetProperty("id").GetString()!;
                if (authorId == botUserId || Flag(author, "bot") || data.TryGetProperty("webhook_id", out _))
                    return null;
                var guild = Text(data, "guild_id");
                var channelId = channel.GetString()!;
                if (guild is not null && !isListed(channelId))
                    return null;
                var providerId = eventName == MessageCreate
                    ? id.GetString()!
                    : $"{id.GetString()}:edit:{Text(data, "edited_timestamp") ?? "?"}";
                return new InboundDelivery(providerId, ConversationKey(channelId, guild, authorId));
            case InteractionCreate:
                if (data.TryGetProperty("type", out var type) && type.GetInt32() == MessageComponent
                    && Text(data, "channel_id") is { } interactionChannel && UserOf(data) is { } user)
                {
                    var interactionGuild = Text(data, "guild_id");
                    if (interactionGuild is not null && !isListed(interactionChannel))
                        return null;
                    return new InboundDelivery("interaction:" + data.GetProperty("id").GetString(),
                        ConversationKey(interactionChannel, interactionGuild, user.GetProperty("id").GetString()!));
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The user of an interaction: <c>member.user</c> in a server, <c>user</c> in a DM.</summary>
    public static JsonElement? UserOf(JsonElement interaction)
    {
        if (interaction.TryGetProperty("member", out var member) && member.ValueKind == JsonValueKind.Object && member.TryGetProperty("user", out var memberUser))
            return memberUser;
        return interaction.TryGetProperty("user", out var user) && user.ValueKind == JsonValueKind.Object ? user : null;
    }

    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The server channels a connection listens in, from its comma-separated credential entry.</summary>
    public static IReadOnlySet<string> ListedChannels(IReadOnlyDictionary<string, string> credentials) =>
        credentials.GetValueOrDefault(DiscordModule.GuildChannelIds) is { Length: > 0 } listed
            ? listed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
}
