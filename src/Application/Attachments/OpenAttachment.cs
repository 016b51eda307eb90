using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Attachments;

/// <summary>An attachment's description and a stream of its bytes; the caller disposes the stream.</summary>
public sealed record OpenAttachment(Guid AttachmentId) : IQuery<OpenedAttachment>;

public sealed record OpenedAttachment(AttachmentDto Attachment, Stream Content, bool MayShowInline);

public sealed class OpenAttachmentHandler(IOneInboxDb db, IAttachmentStore store) : IQueryHandler<OpenAttachment, OpenedAttachment>
{
    public async ValueTask<OpenedAttachment> Handle(OpenAttachment query, CancellationToken cancellationToken)
    {
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == query.AttachmentId, cancellationToken)
            ?? throw new NotFoundException("Attachment", query.AttachmentId);
        var content = await store.OpenReadAsync(attachment.StorageKey, cancellationToken)
            ?? throw new NotFoundException("Attachment", query.AttachmentId);
        return new OpenedAttachment(AttachmentDto.Of(attachment), content, ContentSniffer.MayShowInline(attachment.ContentType));
    }
}
