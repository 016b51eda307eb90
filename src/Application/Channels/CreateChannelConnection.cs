using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// Connect a provider account. The answer carries the inbound URL and the secrets once; afterwards the API
/// never shows credentials or secrets again.
/// </summary>
public sealed record CreateChannelConnection(
    ChannelType Type,
    string Name,
    string? BotToken,
    ConnectionMode? Mode,
    string? BaseUrl,
    string? CallbackUrl) : ICommand<ChannelConnectionCreated>;

/// <param name="InboundUrl">Telegram: the webhook URL registered with the bot; API channel: where integrations POST inbound messages.</param>
/// <param name="InboundSecret">Telegram: the secret_token the webhook presents; API channel: the bearer token inbound calls present.</param>
/// <param name="SigningSecret">API channel: the key of the signature on outbound callbacks.</param>
public sealed record ChannelConnectionCreated(ChannelConnectionDto Connection, Uri? InboundUrl, string InboundSecret, string? SigningSecret);

public sealed class CreateChannelConnectionValidator : AbstractValidator<CreateChannelConnection>
{
    public CreateChannelConnectionValidator()
    {
        RuleFor(c => c.Type).IsInEnum().Must(t => t is ChannelType.Telegram or ChannelType.Api)
            .WithMessage("Only telegram and api connections can be created here.");
        RuleFor(c => c.Name).NotEmpty().MaximumLength(ChannelConnection.MaxNameLength);
        RuleFor(c => c.Mode).IsInEnum();
        RuleFor(c => c.BaseUrl).HttpUrl();
        When(c => c.Type == ChannelType.Telegram, () =>
        {
            RuleFor(c => c.BotToken).NotEmpty().Matches(ChannelRules.TelegramToken())
                .WithMessage("Must be a Telegram bot token: <bot id>:<secret>.");
            RuleFor(c => c.CallbackUrl).Null().WithMessage("Telegram connections have no callback URL.");
        });
        When(c => c.Type == ChannelType.Api, () =>
        {
            RuleFor(c => c.BotToken).Null().WithMessage("API connections have no bot token.");
            RuleFor(c => c.CallbackUrl).NotEmpty().HttpUrl();
            RuleFor(c => c.Mode).Must(m => m is null or ConnectionMode.Webhook).WithMessage("API connections cannot poll.");
        });
    }
}

public sealed class CreateChannelConnectionHandler(IOneInboxDb db, IChannelProvisioner provisioner, TimeProvider clock)
    : ICommandHandler<CreateChannelConnection, ChannelConnectionCreated>
{
    public async ValueTask<ChannelConnectionCreated> Handle(CreateChannelConnection command, CancellationToken cancellationToken)
    {
        var credentials = new Dictionary<string, string>();
        string? signingSecret = null;
        if (command.Type == ChannelType.Telegram)
            credentials[ChannelCredentials.BotToken] = command.BotToken!;
        else
            credentials[ChannelCredentials.SigningSecret] = signingSecret = ChannelRules.NewSecret();

        var inboundSecret = ChannelRules.NewSecret();
        var mode = command.Mode ?? ConnectionMode.Webhook;
        var connection = ChannelConnection.Create(command.Type, command.Name, ChannelCredentials.Serialize(credentials), inboundSecret,
            mode, command.BaseUrl, command.CallbackUrl, clock);

        // The provider learns about the webhook before the row exists; a failure here stores nothing.
        var endpoint = connection.ToEndpoint(credentials);
        await provisioner.ApplyModeAsync(connection.Type, endpoint, mode, inboundSecret, cancellationToken);

        db.ChannelConnections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);

        var dto = new ChannelConnectionDto(connection.Id, connection.Type, connection.Name, connection.Mode, connection.BaseUrl,
            connection.CallbackUrl, connection.CreatedAt, new ChannelHealthDto(null, null, null, null, 0, 0, 0));
        return new ChannelConnectionCreated(dto, provisioner.InboundUrl(connection.Type, connection.Id), inboundSecret, signingSecret);
    }
}

public static class ChannelEndpoints
{
    public static readonly Uri TelegramApi = new("https://api.telegram.org");

    public static ChannelEndpoint ToEndpoint(this ChannelConnection connection, IReadOnlyDictionary<string, string> credentials)
    {
        var baseUrl = connection.BaseUrl is { Length: > 0 } configured
            ? new Uri(configured)
            : connection.Type == ChannelType.Api ? new Uri(connection.CallbackUrl!) : TelegramApi;
        return new ChannelEndpoint(connection.Id, baseUrl, credentials);
    }

    public static ChannelEndpoint ToEndpoint(this ChannelConnection connection) =>
        connection.ToEndpoint(ChannelCredentials.Deserialize(connection.Credentials));
}
