using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Attachments;

/// <summary>
/// A file as the API shows it, never with its storage key or a provider's file id. Id is what
/// <c>GET /api/v1/attachments/{id}</c> downloads and a reply's <c>attachmentIds</c> takes; it is null for media a
/// flow sends by public address (then <paramref name="Url"/> is set) and for a customer's file too large to download.
/// </summary>
public sealed record AttachmentDto(Guid? Id, string FileName, string ContentType, long? SizeBytes, MessageKind Kind, string? Url = null)
{
    public static AttachmentDto Of(Attachment attachment) =>
        new(attachment.Id, attachment.FileName, attachment.ContentType, attachment.SizeBytes, attachment.Kind);

    public static AttachmentDto Of(MessageAttachment attachment) =>
        new(attachment.AttachmentId, attachment.FileName ?? "attachment", attachment.ContentType ?? "application/octet-stream",
            attachment.SizeBytes, attachment.Kind, attachment.Url);

    public static IReadOnlyList<AttachmentDto> Of(IReadOnlyList<MessageAttachment> attachments) => [.. attachments.Select(Of)];
}

/// <summary>How large an upload may be (configuration OneInbox:Attachments:MaxBytes).</summary>
public sealed record AttachmentSettings(long MaxBytes)
{
    public const long DefaultMaxBytes = 25L * 1024 * 1024;
}
