using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Attachments;

/// <summary>
/// Streams an upload into the attachment store, then records it with the type its bytes show. The body is
/// never held in memory; an upload over the limit is cut off and nothing is kept.
/// </summary>
public sealed record UploadAttachment(Stream Content, string FileName) : ICommand<AttachmentDto>;

public sealed class UploadAttachmentValidator : AbstractValidator<UploadAttachment>
{
    public UploadAttachmentValidator()
    {
        RuleFor(c => c.FileName).NotEmpty().MaximumLength(Attachment.MaxFileNameLength);
        RuleFor(c => c.Content).NotNull();
    }
}

public sealed class UploadAttachmentHandler(IOneInboxDb db, IAttachmentStore store, AttachmentSettings settings, WorkspaceContext workspace,
    ICurrentUser user, TimeProvider clock) : ICommandHandler<UploadAttachment, AttachmentDto>
{
    public async ValueTask<AttachmentDto> Handle(UploadAttachment command, CancellationToken cancellationToken)
    {
        var stored = await store.SaveAsync(workspace.WorkspaceId, command.Content, settings.MaxBytes, cancellationToken);
        try
        {
            var attachment = Attachment.Record(stored.StorageKey, command.FileName, ContentSniffer.Sniff(stored.Head), stored.SizeBytes, user.UserId, clock);
            db.Attachments.Add(attachment);
            await db.SaveChangesAsync(cancellationToken);
            return AttachmentDto.Of(attachment);
        }
        catch
        {
            await store.DeleteAsync(stored.StorageKey, CancellationToken.None);
            throw;
        }
    }
}
