using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.Conversations;

/// <summary>
/// A file uploaded to the workspace (by an agent, or downloaded from a provider), kept in the attachment
/// store under StorageKey. Messages refer to it by that key.
/// </summary>
public sealed class Attachment : TenantEntity
{
    public const int MaxFileNameLength = 255;
    public const int MaxContentTypeLength = 100;

    private Attachment(string storageKey, string fileName, string contentType, long sizeBytes, Guid? uploadedBy, DateTimeOffset createdAt)
    {
        StorageKey = storageKey;
        FileName = fileName;
        ContentType = contentType;
        SizeBytes = sizeBytes;
        UploadedBy = uploadedBy;
        CreatedAt = createdAt;
    }

    public string StorageKey { get; private set; }

    public string FileName { get; private set; }

    /// <summary>The type found in the bytes, not the one the uploader claimed.</summary>
    public string ContentType { get; private set; }

    public long SizeBytes { get; private set; }

    public Guid? UploadedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The kind of message a file of this type makes.</summary>
    public MessageKind Kind => KindOf(ContentType);

    public static MessageKind KindOf(string contentType) => contentType.Split('/')[0] switch
    {
        "image" when contentType != "image/svg+xml" => MessageKind.Image,
        "audio" => MessageKind.Audio,
        "video" => MessageKind.Video,
        _ => MessageKind.Document,
    };

    /// <summary>The attachment as a message carries it.</summary>
    public MessageAttachment ToMessageAttachment() => new(Kind, StorageKey, null, FileName, ContentType, SizeBytes, null, Id);

    public static Attachment Record(string storageKey, string fileName, string contentType, long sizeBytes, Guid? uploadedBy, TimeProvider clock)
    {
        var name = Path.GetFileName(fileName.Trim());
        if (name.Length == 0)
            name = "attachment";
        if (name.Length > MaxFileNameLength)
            name = name[^MaxFileNameLength..];
        // A provider may name a type longer than any real one; such a file is kept as plain bytes.
        var type = contentType.Length is > 0 and <= MaxContentTypeLength ? contentType : "application/octet-stream";
        return new Attachment(storageKey, name, type, sizeBytes, uploadedBy, clock.GetUtcNow());
    }
}
