using OneInbox.Domain.Common;

namespace OneInbox.Domain.Privacy;

public enum PrivacyExportStatus
{
    Building = 0,
    Ready = 1,
    Failed = 2,
    Deleted = 3,
}

/// <summary>
/// The file an access or portability request hands over: built in the background, stored encrypted under the
/// person's own data key (erasing them makes it unreadable), downloadable for 24 hours once ready (each download
/// audited), deleted after the workspace's export retention (7 days by default).
/// </summary>
public sealed class PrivacyExport : TenantEntity
{
    public static readonly TimeSpan DownloadWindow = TimeSpan.FromHours(24);

    private PrivacyExport(Guid requestId, Guid contactId, Guid? requestedBy, DateTimeOffset now)
    {
        RequestId = requestId;
        ContactId = contactId;
        RequestedBy = requestedBy;
        RequestedAt = now;
    }

    private PrivacyExport()
    {
    }

    public Guid RequestId { get; private set; }

    public Guid ContactId { get; private set; }

    public Guid? RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public PrivacyExportStatus Status { get; private set; }

    /// <summary>A node building the file holds it until then; another takes it over after a crash.</summary>
    public DateTimeOffset? ClaimedUntil { get; private set; }

    public DateTimeOffset? ReadyAt { get; private set; }

    public string? StorageKey { get; private set; }

    public long SizeBytes { get; private set; }

    public string? Error { get; private set; }

    public int Downloads { get; private set; }

    public DateTimeOffset? ExpiresAt => ReadyAt + DownloadWindow;

    /// <summary>When the file goes: the workspace's export retention after it was ready.</summary>
    public DateTimeOffset? DeleteAfter { get; private set; }

    public static PrivacyExport Start(PrivacyRequest request, Guid? by, TimeProvider clock)
    {
        if (request.Type is not (PrivacyRequestType.Access or PrivacyRequestType.Portability))
            throw new DomainException("privacy.export", "Only an access or portability request is answered with an export.");
        if (!request.IsOpen)
            throw new DomainException("privacy.status", "The request is closed: its export can no longer be built.");
        var contactId = request.ContactId ?? throw new DomainException("privacy.export", "An export is built for a contact; a member's own account is answered by its owner.");
        return new PrivacyExport(request.Id, contactId, by, clock.GetUtcNow());
    }

    public void Ready(string storageKey, long sizeBytes, int keptDays, TimeProvider clock)
    {
        Status = PrivacyExportStatus.Ready;
        StorageKey = storageKey;
        SizeBytes = sizeBytes;
        ReadyAt = clock.GetUtcNow();
        DeleteAfter = ReadyAt.Value.AddDays(keptDays);
        ClaimedUntil = null;
    }

    public void Fail(string error)
    {
        Status = PrivacyExportStatus.Failed;
        Error = error;
        ClaimedUntil = null;
    }

    /// <summary>Counts a download; refuses once the 24 hours are over (start a new export then).</summary>
    public void Download(TimeProvider clock)
    {
        if (Status != PrivacyExportStatus.Ready)
            throw new DomainException("privacy.export", $"The export is {Status.ToString().ToLowerInvariant()}, not ready to download.");
        if (clock.GetUtcNow() > ExpiresAt)
            throw new DomainException("privacy.export_expired", "The download link has expired (24 hours): start a new export.");
        Downloads++;
    }

    public void Delete()
    {
        Status = PrivacyExportStatus.Deleted;
        StorageKey = null;
    }
}
