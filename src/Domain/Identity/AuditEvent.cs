using OneInbox.Domain.Common;

namespace OneInbox.Domain.Identity;

/// <summary>
/// One line of the append-only audit log: who did what, when, from where, through which client. Security events
/// (sign-ins, roles, clients) and access to personal data (a contact read, a conversation's messages, a file
/// downloaded) are both lines here. Never holds a secret, a password, message content or a search term. Sign-in
/// failures may have no workspace.
/// </summary>
public sealed class AuditEvent : Entity
{
    private AuditEvent(Guid? workspaceId, string action, string? actor, string? target, string? ipAddress, string? details, DateTimeOffset occurredAt)
    {
        WorkspaceId = workspaceId;
        Action = action;
        Actor = actor;
        Target = target;
        IpAddress = ipAddress;
        Details = details;
        OccurredAt = occurredAt;
    }

    public Guid? WorkspaceId { get; private set; }

    /// <summary>A dotted name such as <c>signin.failed</c> or <c>member.role_changed</c>.</summary>
    public string Action { get; private set; }

    /// <summary>The user id, client id or email that acted.</summary>
    public string? Actor { get; private set; }

    public string? Target { get; private set; }

    public string? IpAddress { get; private set; }

    public string? Details { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The contact whose personal data was read or changed, where the event concerns one.</summary>
    public Guid? SubjectContactId { get; private set; }

    public string? UserAgent { get; private set; }

    /// <summary>The OAuth client the request came through (the Studio, an integration client).</summary>
    public string? Client { get; private set; }

    public static AuditEvent Record(Guid? workspaceId, string action, string? actor, string? target, string? ipAddress, string? details, TimeProvider clock) =>
        new(workspaceId, action, Truncate(actor, 200), Truncate(target, 200), Truncate(ipAddress, 64), Truncate(details, 1000), clock.GetUtcNow());

    /// <summary>Someone read personal data: <paramref name="subjectContactId"/> when the record belongs to one contact.</summary>
    public static AuditEvent Access(Guid workspaceId, string action, string? actor, string target, Guid? subjectContactId, string? ipAddress,
        string? userAgent, string? client, DateTimeOffset occurredAt) =>
        new(workspaceId, action, Truncate(actor, 200), Truncate(target, 200), Truncate(ipAddress, 64), null, occurredAt)
        {
            SubjectContactId = subjectContactId,
            UserAgent = Truncate(userAgent, 300),
            Client = Truncate(client, 100),
        };

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
