namespace OneInbox.Domain.Identity;

/// <summary>
/// Whether a member takes new conversations. Automated team routing only picks Online members; Away and
/// Offline keep the conversations already assigned. Online is the zero value so that members who never
/// said otherwise (every member from before availability existed) keep being routed to.
/// </summary>
public enum MemberAvailability
{
    Online = 0,
    Away = 1,
    Offline = 2,
}
