using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;

namespace OneInbox.Application.Channels;

/// <summary>Change a connection: omitted fields stay as they are. Switching Telegram's mode registers or removes the webhook.</summary>
public sealed record UpdateChannelConnection(Guid ConnectionId, string? Name, ConnectionMode? Mode, string? BotToken, string? BaseUrl, string? CallbackUrl)
    : ICommand<ChannelConnectionDto>;

public sealed class UpdateChannelConnectionValidator : AbstractValidator<UpdateChannelConnection>
{
    public UpdateChannelConnectionValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(ChannelConnection.MaxNameLength).When(c => c.Name is not null);
        RuleFor(c => c.Mode).IsInEnum();
        RuleFor(c => c.BaseUrl).HttpUrl();
        RuleFor(c => c.CallbackUrl).HttpUrl();
        RuleFor(c => c.BotToken).Matches(ChannelRules.TelegramToken()).When(c => c.BotToken is not null)
            .WithMessage("Must be a Telegram bot token: <bot id>:<secret>.");
    }
}

public sealed class UpdateChannelConnectionHandler(IOneInboxDb db, IChannelProvisioner provisioner, ISender sender)
    : ICommandHandler<UpdateChannelConnection, ChannelConnectionDto>
{
    public async ValueTask<ChannelConnectionDto> Handle(UpdateChannelConnection command, CancellationToken cancellationToken)
    {
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == command.ConnectionId, cancellationToken)
                         ?? throw new NotFoundException("channel connection", command.ConnectionId);

        if (command.Name is not null)
            connection.Rename(command.Name);
        if (command.BaseUrl is not null)
            connection.ChangeBaseUrl(command.BaseUrl.Length == 0 ? null : command.BaseUrl);
        if (command.CallbackUrl is not null)
            connection.ChangeCallbackUrl(command.CallbackUrl);
        var providerChanged = command.BaseUrl is not null;
        if (command.BotToken is not null)
        {
            if (connection.Type != ChannelType.Telegram)
                throw new DomainException("channel.botTokenUnsupported", "Only Telegram connections have a bot token.");
            var credentials = ChannelCredentials.Deserialize(connection.Credentials).ToDictionary();
            credentials[ChannelCredentials.BotToken] = command.BotToken;
            connection.ReplaceCredentials(ChannelCredentials.Serialize(credentials));
            providerChanged = true;
        }
        if (command.Mode is { } mode && mode != connection.Mode)
        {
            connection.SwitchMode(mode);
            providerChanged = true;
        }

        if (providerChanged && connection.Type == ChannelType.Telegram)
            await provisioner.ApplyModeAsync(connection.Type, connection.ToEndpoint(), connection.Mode, connection.InboundSecret, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        return await sender.Send(new GetChannelConnection(connection.Id), cancellationToken);
    }
}
