using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// Change a connection: omitted fields stay as they are. The channel's rotatable properties (a new token, a new
/// secret, a new callback URL) come as further properties and are checked by its module; changing them or the
/// mode brings the provider in line (Telegram's webhook is registered or removed).
/// </summary>
public sealed record UpdateChannelConnection(Guid ConnectionId, string? Name, ConnectionMode? Mode, string? BaseUrl)
    : ICommand<ChannelConnectionDto>
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Settings { get; init; }
}

public sealed class UpdateChannelConnectionValidator : AbstractValidator<UpdateChannelConnection>
{
    public UpdateChannelConnectionValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(ChannelConnection.MaxNameLength).When(c => c.Name is not null);
        RuleFor(c => c.Mode).IsInEnum();
        RuleFor(c => c.BaseUrl).HttpUrl();
    }
}

public sealed class UpdateChannelConnectionHandler(IOneInboxDb db, ChannelModules modules, IChannelProvisioner provisioner,
    InboundAuthCache authCache, ISender sender, TimeProvider clock)
    : ICommandHandler<UpdateChannelConnection, ChannelConnectionDto>
{
    public async ValueTask<ChannelConnectionDto> Handle(UpdateChannelConnection command, CancellationToken cancellationToken)
    {
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == command.ConnectionId, cancellationToken)
                         ?? throw new NotFoundException("channel connection", command.ConnectionId);
        var module = modules.For(connection.Type);
        var settings = new ChannelSettings(command.Settings);
        var mode = command.Mode ?? connection.Mode;

        // Which properties a channel has is its module's knowledge, so these checks wait until the connection is known.
        var errors = ChannelModules.Check(module, settings, creating: false, mode).Select(e => new ValidationFailure(e.Field, e.Message)).ToList();
        if (!ChannelModules.Supports(module, mode))
            errors.Add(new ValidationFailure("mode", $"{module.Description.DisplayName} connections cannot use {ChannelModules.ModeName(mode)} mode."));
        if (errors.Count > 0)
            throw new ValidationException(errors);

        if (command.Name is not null)
            connection.Rename(command.Name);
        if (command.BaseUrl is not null)
            connection.ChangeBaseUrl(command.BaseUrl.Length == 0 ? null : command.BaseUrl);
        var providerChanged = command.BaseUrl is not null;
        if (settings.Names.Any(settings.Has))
        {
            var current = new ChannelSetup(ChannelCredentials.Deserialize(connection.Credentials), connection.CallbackUrl);
            var changed = await module.ChangeAsync(settings, current, connection.ToEndpoint().BaseUrl, cancellationToken);
            connection.ReplaceCredentials(ChannelCredentials.Serialize(changed.Credentials));
            if (changed.CallbackUrl is { } callbackUrl && callbackUrl != connection.CallbackUrl)
                connection.ChangeCallbackUrl(callbackUrl);
            // Deliveries held until the credentials were fixed (an expired token) may go now.
            foreach (var held in await db.OutboxMessages.Where(o => o.ConnectionId == connection.Id && o.Status == OutboxStatus.Pending).ToListAsync(cancellationToken))
                held.Resume(clock);
            providerChanged = true;
        }
        if (mode != connection.Mode)
        {
            connection.SwitchMode(mode);
            providerChanged = true;
        }

        if (providerChanged)
        {
            await module.ApplyModeAsync(connection.ToEndpoint(), provisioner.InboundUrl(connection.Type, connection.Id), connection.Mode,
                connection.InboundSecret, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        authCache.Forget(connection.Id);
        return await sender.Send(new GetChannelConnection(connection.Id), cancellationToken);
    }
}
