using OneInbox.Domain.Common;

namespace OneInbox.Domain.Identity;

/// <summary>
/// A machine client of one workspace (OAuth client credentials). Its secret is hashed by the token
/// server and shown once at creation; revoking it stops its tokens at once.
/// </summary>
public sealed class IntegrationClient : TenantEntity
{
    public const int MaxNameLength = 120;

    private IntegrationClient(string clientId, string name, WorkspaceRole role, Guid? createdBy, DateTimeOffset createdAt)
    {
        ClientId = clientId;
        Name = name;
        Role = role;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public string ClientId { get; private set; }

    public string Name { get; private set; }

    public WorkspaceRole Role { get; private set; }

    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public static IntegrationClient Create(string clientId, string name, WorkspaceRole role, Guid? createdBy, TimeProvider clock)
    {
        if (role == WorkspaceRole.Owner)
            throw new DomainException("client.owner", "An integration client cannot be an owner.");
        return new IntegrationClient(clientId, name.Trim(), role, createdBy, clock.GetUtcNow());
    }

    public void Revoke(TimeProvider clock) => RevokedAt ??= clock.GetUtcNow();
}
