using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>A private note on a conversation: for the team only, never sent to the customer.</summary>
public sealed record AddNote(Guid ConversationId, string Text) : ICommand<MessageDto>;

public sealed class AddNoteValidator : AbstractValidator<AddNote>
{
    public AddNoteValidator()
    {
        RuleFor(c => c.Text).NotEmpty().Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("A note needs text.")
            .MaximumLength(Message.MaxTextLength);
    }
}

public sealed class AddNoteHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<AddNote, MessageDto>
{
    public async ValueTask<MessageDto> Handle(AddNote command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        var note = conversation.AddNote(user.UserId, command.Text, clock);
        db.Messages.Add(note);
        await db.SaveChangesAsync(cancellationToken);
        return note.ToDto();
    }
}
