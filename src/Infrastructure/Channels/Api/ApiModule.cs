using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Api;

/// <summary>
/// The generic API channel (web chat widgets, other integrations): inbound messages are POSTed to our inbound
/// URL with a bearer token; outbound ones are POSTed, signed, to the integration's callback URL. Nothing to set up
/// at a provider.
/// </summary>
internal sealed class ApiModule : IChannelModule
{
    public const ChannelType Channel = ChannelType.Api;
    private const string CallbackUrl = "callbackUrl";

    public ChannelType Type => Channel;

    public ChannelTypeDto Description { get; } = new(
        "api",
        "API integration",
        ["webhook"],
        [new ChannelFieldDto(CallbackUrl, "Callback URL", ChannelFieldKinds.Url, true,
            "Where OneInbox POSTs outbound messages, signed with the signing secret shown once", null, null)],
        [CallbackUrl],
        Provider: "the business's own system");

    /// <summary>The integration's server answers 429 when it needs us slower; we do not guess its limits.</summary>
    public TimeSpan? ReplyWindow => null;

    public SendPacing? Pacing => null;

    /// <summary>The API channel's conversations are the client's: its customers write first.</summary>
    public ValueTask<string?> StartConversationAsync(ChannelEndpoint endpoint, string externalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);

    public void Validate(ChannelSettings settings, bool creating, ConnectionMode mode, IList<ChannelFieldError> errors)
    {
    }

    public ValueTask<ChannelSetup> SetUpAsync(ChannelSettings settings, Uri? baseUrl, CancellationToken cancellationToken) =>
        ValueTask.FromResult(NewSetup(settings.Text(CallbackUrl)!));

    private static ChannelSetup NewSetup(string callbackUrl)
    {
        var signingSecret = ChannelRules.NewSecret();
        return new ChannelSetup(new Dictionary<string, string> { [ChannelCredentials.SigningSecret] = signingSecret }, callbackUrl, signingSecret);
    }

    public ValueTask<ChannelSetup> ChangeAsync(ChannelSettings changes, ChannelSetup current, Uri? baseUrl, CancellationToken cancellationToken) =>
        ValueTask.FromResult(changes.Text(CallbackUrl) is { } callbackUrl ? current with { CallbackUrl = callbackUrl } : current);

    public Uri? InboundUrl(Uri publicBase, Guid connectionId) => new(publicBase, $"api/v1/channels/{connectionId}/inbound");

    public ValueTask ApplyModeAsync(ChannelEndpoint endpoint, Uri? inboundUrl, ConnectionMode mode, string inboundSecret, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public ValueTask RemoveAsync(ChannelEndpoint endpoint, ConnectionMode mode, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
