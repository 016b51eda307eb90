using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>Gateway v10 opcodes the connector sends or understands (channels.md §3.2).</summary>
internal static class GatewayOp
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

/// <summary>The intents an inbox needs: GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT.</summary>
internal static class GatewayIntents
{
    public const int Guilds = 1 << 0;
    public const int GuildMessages = 1 << 9;
    public const int DirectMessages = 1 << 12;
    public const int MessageContent = 1 << 15;
    public const int Inbox = Guilds | GuildMessages | DirectMessages | MessageContent;
}

/// <summary>One gateway frame as received: <c>{"op","d","s","t"}</c>; <c>d</c> stays raw for the receiver to read.</summary>
internal sealed record GatewayFrame(int Op, JsonElement Data, long? Sequence, string? EventName)
{
    public static GatewayFrame Parse(ReadOnlySpan<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8.ToArray());
        var root = document.RootElement;
        var op = root.GetProperty("op").GetInt32();
        var data = root.TryGetProperty("d", out var d) ? d.Clone() : default;
        long? sequence = root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
        var name = root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new GatewayFrame(op, data, sequence, name);
    }
}

/// <summary>An event the gateway delivered (op 0), with its sequence number and raw <c>d</c> as JSON text.</summary>
internal sealed record GatewayDispatch(string EventName, long Sequence, string Json);

/// <summary>What to do after the gateway closed with a given code (the close-code table of channels.md §3.2).</summary>
internal enum CloseAction
{
    /// <summary>Reconnect to the resume URL and resume the session; missed events are replayed.</summary>
    Resume,

    /// <summary>Reconnect and identify afresh: the session cannot be resumed.</summary>
    NewSession,

    /// <summary>Reconnecting cannot help (bad token, intents, version, sharding): stop and tell the operator.</summary>
    Stop,
}

internal static class GatewayCloseCodes
{
    /// <summary>
    /// The table of channels.md §3.2. A null code (TCP dropped without a close frame) and codes the table does
    /// not list are worth a resume: the session stays resumable for a while, and if it is not, Discord says
    /// so with op 9 and we identify then.
    /// </summary>
    public static CloseAction Decide(int? code) => code switch
    {
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => CloseAction.Stop,
        4007 or 4009 => CloseAction.NewSession,
        _ => CloseAction.Resume,
    };

    /// <summary>What the operator reads in the connection's health when a code stops the connector.</summary>
    public static string Describe(int? code) => code switch
    {
        4000 => "unknown error",
        4001 => "unknown opcode",
        4002 => "decode error",
        4003 => "not authenticated",
        4004 => "authentication failed: Discord refused the bot token",
        4005 => "already authenticated",
        4007 => "invalid sequence on resume",
        4008 => "rate limited",
        4009 => "session timed out",
        4010 => "invalid shard",
        4011 => "sharding required: the bot is in too many servers for one connection",
        4012 => "invalid API version",
        4013 => "invalid intents",
        4014 => "disallowed intents: enable the Message Content intent on the bot page of the Developer Portal",
        null => "connection dropped",
        _ => "closed",
    };
}

/// <summary>The JSON of the frames the connector sends.</summary>
internal static class GatewayPayloads
{
    public static byte[] Heartbeat(long? sequence) =>
        JsonSerializer.SerializeToUtf8Bytes(new OutFrame(GatewayOp.Heartbeat, sequence is { } s ? JsonSerializer.SerializeToElement(s) : JsonSerializer.SerializeToElement<object?>(null)));

    public static byte[] Identify(string token, int intents) =>
        JsonSerializer.SerializeToUtf8Bytes(new OutFrame(GatewayOp.Identify, JsonSerializer.SerializeToElement(new IdentifyData(token, intents, new IdentifyProperties("linux", "oneinbox", "oneinbox")))));

    public static byte[] Resume(string token, string sessionId, long? sequence) =>
        JsonSerializer.SerializeToUtf8Bytes(new OutFrame(GatewayOp.Resume, JsonSerializer.SerializeToElement(new ResumeData(token, sessionId, sequence))));

    private sealed record OutFrame([property: JsonPropertyName("op")] int Op, [property: JsonPropertyName("d")] JsonElement Data);

    private sealed record IdentifyData(
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("intents")] int Intents,
        [property: JsonPropertyName("properties")] IdentifyProperties Properties);

    private sealed record IdentifyProperties(
        [property: JsonPropertyName("os")] string Os,
        [property: JsonPropertyName("browser")] string Browser,
        [property: JsonPropertyName("device")] string Device);

    private sealed record ResumeData(
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("session_id")] string SessionId,
        [property: JsonPropertyName("seq")] long? Sequence);
}
