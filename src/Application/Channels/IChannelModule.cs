using System.Text.Json;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// One kind of channel, as the commands, the endpoints and the workers see it: its settings and their checks,
/// setting up and tearing down at the provider, and its pacing. Reading inbound deliveries
/// (<see cref="IInboundReceiver"/>), mapping them and sending (<see cref="IChannelSender"/>) are its other parts.
/// Each lives in its own folder under Infrastructure/Channels and is registered once; nothing else names a channel.
/// </summary>
public interface IChannelModule
{
    ChannelType Type { get; }

    /// <summary>What the Studio renders its connect and rotate forms from (GET /api/v1/channel-types).</summary>
    ChannelTypeDto Description { get; }

    /// <summary>Checks beyond the field descriptions (a token's shape); errors are keyed by field name.</summary>
    void Validate(ChannelSettings settings, bool creating, ConnectionMode mode, IList<ChannelFieldError> errors);

    /// <summary>
    /// A new connection: checks its credentials at the provider where the provider allows it, and makes what is
    /// stored. Throws FluentValidation's ValidationException naming the field when the provider refuses it.
    /// </summary>
    ValueTask<ChannelSetup> SetUpAsync(ChannelSettings settings, Uri? baseUrl, CancellationToken cancellationToken);

    /// <summary>Rotated or changed settings on an existing connection (a new token, a new callback URL).</summary>
    ValueTask<ChannelSetup> ChangeAsync(ChannelSettings changes, ChannelSetup current, Uri? baseUrl, CancellationToken cancellationToken);

    /// <summary>Where the provider delivers inbound traffic for this connection, below the installation's public base; null when nothing is delivered.</summary>
    Uri? InboundUrl(Uri publicBase, Guid connectionId);

    /// <summary>Brings the provider in line with the connection's mode (register or remove a webhook); nothing for channels without one.</summary>
    ValueTask ApplyModeAsync(ChannelEndpoint endpoint, Uri? inboundUrl, ConnectionMode mode, string inboundSecret, CancellationToken cancellationToken);

    /// <summary>Undoes the provider-side setup before the connection is deleted.</summary>
    ValueTask RemoveAsync(ChannelEndpoint endpoint, ConnectionMode mode, CancellationToken cancellationToken);

    /// <summary>
    /// The conversation key under which the business writes first to a person this channel knows by
    /// <paramref name="externalId"/> (a Telegram private chat is the user's id; a Discord DM channel is opened at
    /// Discord). Null when the channel cannot start conversations (the API channel's customers always write first).
    /// Throws <see cref="Common.Exceptions.UnprocessableException"/> when the provider refuses (the user takes no DMs).
    /// </summary>
    ValueTask<string?> StartConversationAsync(ChannelEndpoint endpoint, string externalId, CancellationToken cancellationToken);

    /// <summary>
    /// How long after the customer last wrote the business may send free-form messages (WhatsApp: 24 hours; after
    /// that only approved templates); null: no such rule.
    /// </summary>
    TimeSpan? ReplyWindow { get; }

    /// <summary>How fast the dispatcher may send on one connection; null: no pacing of ours (the receiver's 429s only).</summary>
    SendPacing? Pacing { get; }
}

/// <param name="PerSecond">Messages per second per connection (a bot, a phone number).</param>
/// <param name="PerChatInterval">The least time between two messages to one chat.</param>
public sealed record SendPacing(double PerSecond, TimeSpan PerChatInterval);

/// <summary>What a connection keeps: credentials (stored encrypted) and the callback URL of channels that call out to one.</summary>
/// <param name="SigningSecret">A secret we generated for signing what we send out, shown to the creator once.</param>
public sealed record ChannelSetup(IReadOnlyDictionary<string, string> Credentials, string? CallbackUrl, string? SigningSecret = null);

public sealed record ChannelFieldError(string Field, string Message);

/// <summary>The channel-specific properties of a create or update body, as they came.</summary>
public sealed class ChannelSettings(IReadOnlyDictionary<string, JsonElement>? values)
{
    private readonly IReadOnlyDictionary<string, JsonElement> _values = values ?? new Dictionary<string, JsonElement>();

    public IEnumerable<string> Names => _values.Keys;

    public bool Has(string name) => _values.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    public string? Text(string name) =>
        _values.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public IReadOnlyList<string>? List(string name) =>
        _values.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : null;

    internal JsonValueKind KindOf(string name) => _values.TryGetValue(name, out var value) ? value.ValueKind : JsonValueKind.Undefined;
}

/// <summary>A channel type as GET /api/v1/channel-types describes it.</summary>
/// <param name="Type">The value POST /api/v1/channels takes.</param>
/// <param name="Modes">Connection modes: webhook, polling.</param>
/// <param name="Rotatable">The fields PATCH /api/v1/channels/{id} may change.</param>
/// <param name="Provider">Who receives and delivers the channel's messages, as the record of processing names it.</param>
public sealed record ChannelTypeDto(
    string Type, string DisplayName, IReadOnlyList<string> Modes, IReadOnlyList<ChannelFieldDto> Fields, IReadOnlyList<string> Rotatable, string Provider);

/// <param name="Kind">text, secret, url, list (array of strings) or select (one of Options).</param>
/// <param name="Modes">The connection modes the field belongs to; null: all.</param>
public sealed record ChannelFieldDto(string Name, string Label, string Kind, bool Required, string? Help, IReadOnlyList<string>? Options, IReadOnlyList<string>? Modes);

public static class ChannelFieldKinds
{
    public const string Text = "text";
    public const string Secret = "secret";
    public const string Url = "url";
    public const string List = "list";
    public const string Select = "select";
}
