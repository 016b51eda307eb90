using Mediator;
using OneInbox.Application.Privacy;

namespace OneInbox.Application.Contacts;

/// <summary>
/// The agent's delete is an erasure like a data-subject request's: the contact's key is destroyed, then every
/// row and file of theirs goes (conversations, messages, notes, flow instances and journals, envelopes, outbox
/// rows, attachments). A legal hold refuses it with 409.
/// </summary>
public sealed record DeleteContact(Guid ContactId) : ICommand<Unit>;

public sealed class DeleteContactHandler(ContactErasure erasure) : ICommandHandler<DeleteContact, Unit>
{
    public async ValueTask<Unit> Handle(DeleteContact command, CancellationToken cancellationToken)
    {
        await erasure.EraseAsync(command.ContactId, "deleted by a member", cancellationToken);
        return Unit.Value;
    }
}
