using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// Connect a provider account. The channel's own properties (a bot token, a phone number id) come as further
/// properties of the body and are checked by its module. The answer carries the inbound URL and the secrets once;
/// afterwards the API never shows credentials or secrets again.
/// </summary>
public sealed record CreateChannelConnection(
    ChannelType Type,
    string Name,
    ConnectionMode? Mode,
    string? BaseUrl) : ICommand<ChannelConnectionCreated>
{
    /// <summary>The channel-specific properties of the body, described by GET /api/v1/channel-types.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Settings { get; init; }
}

/// <param name="InboundUrl">Where the provider (or an integration) delivers inbound traffic for this connection.</param>
/// <param name="InboundSecret">What inbound calls present: Telegram's secret_token, the API channel's bearer token, WhatsApp's verify token.</param>
/// <param name="SigningSecret">API channel: the key of the signature on outbound callbacks.</param>
public sealed record ChannelConnectionCreated(ChannelConnectionDto Connection, Uri? InboundUrl, string InboundSecret, string? SigningSecret);

public sealed class CreateChannelConnectionValidator : AbstractValidator<CreateChannelConnection>
{
    public CreateChannelConnectionValidator(ChannelModules modules)
    {
        RuleFor(c => c.Type).IsInEnum().Must(t => modules.Find(t) is not null)
            .WithMessage($"Must be one of: {string.Join(", ", modules.All.Select(m => m.Description.Type))}.");
        RuleFor(c => c.Name).NotEmpty().MaximumLength(ChannelConnection.MaxNameLength);
        RuleFor(c => c.Mode).IsInEnum();
        RuleFor(c => c.BaseUrl).HttpUrl();
        RuleFor(c => c.Mode).Must((c, mode) => ChannelModules.Supports(modules.For(c.Type), mode ?? ConnectionMode.Webhook))
            .When(c => modules.Find(c.Type) is not null)
            .WithMessage((c, mode) => $"{modules.For(c.Type).Description.DisplayName} connections cannot use {ChannelModules.ModeName(mode ?? ConnectionMode.Webhook)} mode.");
        RuleFor(c => c).Custom((command, context) =>
        {
            if (modules.Find(command.Type) is not { } module)
                return;
            foreach (var error in ChannelModules.Check(module, new ChannelSettings(command.Settings), creating: true, command.Mode ?? ConnectionMode.Webhook))
                context.AddFailure(error.Field, error.Message);
        });
    }
}

public sealed class CreateChannelConnectionHandler(IOneInboxDb db, ChannelModules modules, IChannelProvisioner provisioner, TimeProvider clock)
    : ICommandHandler<CreateChannelConnection, ChannelConnectionCreated>
{
    public async ValueTask<ChannelConnectionCreated> Handle(CreateChannelConnection command, CancellationToken cancellationToken)
    {
        var module = modules.For(command.Type);
        var baseUrl = command.BaseUrl is { Length: > 0 } configured ? new Uri(configured) : null;
        // The provider checks the credentials before anything is stored.
        var setup = await module.SetUpAsync(new ChannelSettings(command.Settings), baseUrl, cancellationToken);

        var inboundSecret = ChannelRules.NewSecret();
        var mode = command.Mode ?? ConnectionMode.Webhook;
        var connection = ChannelConnection.Create(command.Type, command.Name, ChannelCredentials.Serialize(setup.Credentials), inboundSecret,
            mode, command.BaseUrl, setup.CallbackUrl, clock);

        // The provider learns about the webhook before the row exists; a failure here stores nothing.
        var inboundUrl = provisioner.InboundUrl(connection.Type, connection.Id);
        await module.ApplyModeAsync(connection.ToEndpoint(setup.Credentials), inboundUrl, mode, inboundSecret, cancellationToken);

        db.ChannelConnections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);

        var dto = new ChannelConnectionDto(connection.Id, connection.Type, connection.Name, connection.Mode, connection.BaseUrl,
            connection.CallbackUrl, connection.CreatedAt, new ChannelHealthDto(null, null, null, null, 0, 0, 0));
        return new ChannelConnectionCreated(dto, inboundUrl, inboundSecret, setup.SigningSecret);
    }
}
