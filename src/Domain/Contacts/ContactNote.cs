using OneInbox.Domain.Common;

namespace OneInbox.Domain.Contacts;

public enum ContactNoteKind
{
    /// <summary>Written by an agent.</summary>
    Note = 0,

    /// <summary>Recorded by the CRM: another contact was merged into this one.</summary>
    Merge = 1,

    /// <summary>Recorded by the CRM: marketing consent was given or withdrawn.</summary>
    Consent = 2,
}

/// <summary>An entry of a contact's own history: agents' notes and what the CRM did to the contact.</summary>
public sealed class ContactNote : TenantEntity
{
    public const int MaxTextLength = 4000;

    private ContactNote(Guid contactId, ContactNoteKind kind, string text, Guid? authorUserId, DateTimeOffset createdAt)
    {
        ContactId = contactId;
        Kind = kind;
        Text = text;
        AuthorUserId = authorUserId;
        CreatedAt = createdAt;
    }

    public Guid ContactId { get; private set; }

    public ContactNoteKind Kind { get; private set; }

    public string Text { get; private set; }

    public Guid? AuthorUserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static ContactNote Write(Guid contactId, Guid? authorUserId, string text, TimeProvider clock) =>
        Record(contactId, ContactNoteKind.Note, authorUserId, text, clock);

    public static ContactNote Record(Guid contactId, ContactNoteKind kind, Guid? authorUserId, string text, TimeProvider clock)
    {
        var trimmed = text.Trim();
        if (trimmed.Length is 0 or > MaxTextLength)
            throw new DomainException("contact.note", $"A note has 1 to {MaxTextLength} characters.");
        return new ContactNote(contactId, kind, trimmed, authorUserId, clock.GetUtcNow());
    }

    /// <summary>The contact was merged into another: its history follows the survivor.</summary>
    public void MoveTo(Guid contactId) => ContactId = contactId;
}
