using System.Net;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

/// <summary>
/// WhatsApp Business numbers on Meta's Cloud API: a phone number id, its business account, a system-user access
/// token (checked against the Graph API before anything is stored) and the app secret that signs webhooks. The
/// webhook is set in Meta's App Dashboard (our URL and verify token), so there is nothing to register from here.
/// </summary>
internal sealed partial class WhatsAppModule(WhatsAppGraph graph, IOptions<ChannelOptions> options) : IChannelModule
{
    public const ChannelType Channel = ChannelType.WhatsApp;

    public ChannelType Type => Channel;

    public ChannelTypeDto Description { get; } = new(
        "whatsapp",
        "WhatsApp Business",
        ["webhook"],
        [
            new ChannelFieldDto(WhatsAppCredentials.PhoneNumberId, "Phone number id", ChannelFieldKinds.Text, true,
                "WhatsApp > API Setup in the Meta app: the id of the business number (not the number itself)", null, null),
            new ChannelFieldDto(WhatsAppCredentials.BusinessAccountId, "WhatsApp Business Account id", ChannelFieldKinds.Text, true,
                "WhatsApp > API Setup: the WABA id, for message templates", null, null),
            new ChannelFieldDto(WhatsAppCredentials.AccessToken, "Access token", ChannelFieldKinds.Secret, true,
                "A system user's permanent token with whatsapp_business_messaging and whatsapp_business_management", null, null),
            new ChannelFieldDto(WhatsAppCredentials.AppSecret, "App secret", ChannelFieldKinds.Secret, true,
                "App settings > Basic: signs every webhook delivery", null, null),
            new ChannelFieldDto(WhatsAppCredentials.ApiVersion, "Graph API version", ChannelFieldKinds.Text, false,
                $"Default {WhatsAppGraph.DefaultVersion}", null, null),
        ],
        [WhatsAppCredentials.AccessToken, WhatsAppCredentials.AppSecret],
        Provider: "Meta Platforms (WhatsApp Business Cloud API)");

    /// <summary>Cloud API throughput per number (80 messages/s by default); the pair rate is Meta's to enforce (131056 backs off).</summary>
    /// <summary>The customer service window: free-form messages only within 24 hours of the customer's last message.</summary>
    public static readonly TimeSpan CustomerServiceWindow = TimeSpan.FromHours(24);

    public TimeSpan? ReplyWindow => CustomerServiceWindow;

    public SendPacing? Pacing => new(options.Value.WhatsAppPerNumberPerSecond, options.Value.WhatsAppPerChatInterval);

    /// <summary>Conversations are keyed by the customer's wa_id; outside the 24-hour window only a template may open one.</summary>
    public ValueTask<string?> StartConversationAsync(ChannelEndpoint endpoint, string externalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(externalId);

    [GeneratedRegex(@"^\d{1,30}$")]
    private static partial Regex GraphId();

    [GeneratedRegex(@"^v\d{1,3}\.\d{1,3}$")]
    private static partial Regex Version();

    public void Validate(ChannelSettings settings, bool creating, ConnectionMode mode, IList<ChannelFieldError> errors)
    {
        foreach (var id in (string[])[WhatsAppCredentials.PhoneNumberId, WhatsAppCredentials.BusinessAccountId])
        {
            if (settings.Text(id) is { } value && !GraphId().IsMatch(value))
                errors.Add(new ChannelFieldError(id, "Must be a Graph id: digits only."));
        }
        if (settings.Text(WhatsAppCredentials.ApiVersion) is { } version && !Version().IsMatch(version))
            errors.Add(new ChannelFieldError(WhatsAppCredentials.ApiVersion, "Must be a Graph API version such as v23.0."));
    }

    public async ValueTask<ChannelSetup> SetUpAsync(ChannelSettings settings, Uri? baseUrl, CancellationToken cancellationToken)
    {
        var credentials = new Dictionary<string, string>();
        foreach (var name in (string[])[WhatsAppCredentials.PhoneNumberId, WhatsAppCredentials.BusinessAccountId, WhatsAppCredentials.AccessToken,
                     WhatsAppCredentials.AppSecret, WhatsAppCredentials.ApiVersion])
        {
            if (settings.Text(name) is { } value)
                credentials[name] = value.Trim();
        }
        await CheckTokenAsync(new ChannelEndpoint(Guid.Empty, baseUrl, credentials), cancellationToken);
        return new ChannelSetup(credentials, null);
    }

    public async ValueTask<ChannelSetup> ChangeAsync(ChannelSettings changes, ChannelSetup current, Uri? baseUrl, CancellationToken cancellationToken)
    {
        var credentials = current.Credentials.ToDictionary();
        if (changes.Text(WhatsAppCredentials.AppSecret) is { } secret)
            credentials[WhatsAppCredentials.AppSecret] = secret.Trim();
        if (changes.Text(WhatsAppCredentials.AccessToken) is { } token)
        {
            credentials[WhatsAppCredentials.AccessToken] = token.Trim();
            await CheckTokenAsync(new ChannelEndpoint(Guid.Empty, baseUrl, credentials), cancellationToken);
        }
        return current with { Credentials = credentials };
    }

    /// <summary>GET /{phone-number-id} with the token: the token is valid and may act for this number.</summary>
    private async Task CheckTokenAsync(ChannelEndpoint endpoint, CancellationToken cancellationToken)
    {
        var result = await graph.GetAsync(endpoint, WhatsAppGraph.Setting(endpoint, WhatsAppCredentials.PhoneNumberId), cancellationToken);
        if (result.Body is not null)
            return;
        var failure = result.Error?.Code == 190 || result.Status == HttpStatusCode.Unauthorized
            ? new ValidationFailure(WhatsAppCredentials.AccessToken, "The Graph API refused this access token (expired, revoked or mistyped).")
            : result.Error?.Code is 100 or 803 || result.Status == HttpStatusCode.NotFound
                ? new ValidationFailure(WhatsAppCredentials.PhoneNumberId, "The Graph API knows no phone number with this id for this token.")
                : new ValidationFailure(WhatsAppCredentials.AccessToken, $"The Graph API did not confirm the number (HTTP {(int)result.Status}, code {result.Error?.Code}).");
        throw new ValidationException([failure]);
    }

    public Uri? InboundUrl(Uri publicBase, Guid connectionId) => new(publicBase, $"webhooks/whatsapp/{connectionId}");

    public ValueTask ApplyModeAsync(ChannelEndpoint endpoint, Uri? inboundUrl, ConnectionMode mode, string inboundSecret, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public ValueTask RemoveAsync(ChannelEndpoint endpoint, ConnectionMode mode, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
