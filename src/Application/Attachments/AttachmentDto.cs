namespace OneInbox.Application.Attachments;

public sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long SizeBytes, DateTimeOffset CreatedAt);

/// <summary>How large an upload may be (configuration OneInbox:Attachments:MaxBytes).</summary>
public sealed record AttachmentSettings(long MaxBytes)
{
    public const long DefaultMaxBytes = 25L * 1024 * 1024;
}
