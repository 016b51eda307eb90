using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.Contacts;

/// <summary>
/// A contact's account on one channel (Telegram user id, WhatsApp wa_id, Discord user id, API channel id).
/// Unique per workspace and channel, so every message from that account finds the same contact.
/// </summary>
public sealed class ChannelIdentity : TenantEntity
{
    public const int MaxExternalIdLength = 200;
    public const int MaxUsernameLength = 200;

    private ChannelIdentity(Guid contactId, ChannelType channel, string externalId, string? username, DateTimeOffset createdAt)
    {
        ContactId = contactId;
        Channel = channel;
        ExternalId = externalId;
        Username = username;
        CreatedAt = createdAt;
    }

    public Guid ContactId { get; private set; }

    public ChannelType Channel { get; private set; }

    public string ExternalId { get; private set; }

    /// <summary>The handle the account shows on the channel (Telegram @username), when it has one.</summary>
    public string? Username { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static ChannelIdentity Create(Guid contactId, ChannelType channel, string externalId, string? username, TimeProvider clock)
    {
        var id = externalId.Trim();
        if (id.Length is 0 or > MaxExternalIdLength)
            throw new DomainException("contact.identity", $"A channel account id has 1 to {MaxExternalIdLength} characters.");
        return new ChannelIdentity(contactId, channel, id, Shorten(username), clock.GetUtcNow());
    }

    public void UpdateUsername(string? username) => Username = Shorten(username) ?? Username;

    /// <summary>The contact was merged into another: its accounts now lead to the survivor.</summary>
    public void MoveTo(Guid contactId) => ContactId = contactId;

    private static string? Shorten(string? username) =>
        string.IsNullOrWhiteSpace(username) ? null : username.Trim()[..Math.Min(username.Trim().Length, MaxUsernameLength)];
}
