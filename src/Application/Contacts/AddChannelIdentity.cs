using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>Links a channel account to a contact, so that its messages land on this contact.</summary>
public sealed record AddChannelIdentity(Guid ContactId, ChannelType Channel, string ExternalId, string? Username) : ICommand<ChannelIdentityDto>;

public sealed class AddChannelIdentityValidator : AbstractValidator<AddChannelIdentity>
{
    public AddChannelIdentityValidator()
    {
        RuleFor(c => c.Channel).IsInEnum();
        RuleFor(c => c.ExternalId).NotEmpty().MaximumLength(ChannelIdentity.MaxExternalIdLength);
        RuleFor(c => c.Username).MaximumLength(ChannelIdentity.MaxUsernameLength);
    }
}

public sealed class AddChannelIdentityHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<AddChannelIdentity, ChannelIdentityDto>
{
    public async ValueTask<ChannelIdentityDto> Handle(AddChannelIdentity command, CancellationToken cancellationToken)
    {
        var contact = await db.GetContactAsync(command.ContactId, cancellationToken);
        var externalId = command.ExternalId.Trim();
        var owner = await db.ChannelIdentities.Where(i => i.Channel == command.Channel && i.ExternalId == externalId)
            .Select(i => (Guid?)i.ContactId).FirstOrDefaultAsync(cancellationToken);
        if (owner is { } ownerId)
            throw new ConflictException("contact.identityTaken",
                ownerId == contact.Id
                    ? "This channel account is already linked to this contact."
                    : $"This channel account belongs to contact {ownerId}; merge the two contacts instead.");

        var identity = ChannelIdentity.Create(contact.Id, command.Channel, externalId, command.Username, clock);
        db.ChannelIdentities.Add(identity);
        await db.SaveChangesAsync(cancellationToken);
        return new ChannelIdentityDto(identity.Id, identity.ContactId, identity.Channel, identity.ExternalId, identity.Username, identity.CreatedAt);
    }
}
