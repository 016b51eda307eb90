namespace OneInbox.Application.Common;

/// <summary>A result that belongs to one contact: reading it is an access to that person's data.</summary>
public interface IAboutContact
{
    Guid ContactId { get; }
}
