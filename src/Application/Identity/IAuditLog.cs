namespace OneInbox.Application.Identity;

/// <summary>Appends to the security audit log in the current unit of work.</summary>
public interface IAuditLog
{
    void Record(string action, string? target = null, string? details = null, Guid? workspaceId = null, string? actor = null);
}
