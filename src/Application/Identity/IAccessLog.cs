namespace OneInbox.Application.Identity;

/// <summary>
/// Records that the current caller read personal data (who, which record, what action, when, from where, through which
/// client), in the audit log. Cheap on the hot path: nothing is written in the caller's unit of work or round trip;
/// the events are written in batches a moment later.
/// </summary>
public interface IAccessLog
{
    /// <param name="action">A dotted name such as <c>contact.read</c> or <c>attachment.download</c>.</param>
    /// <param name="target">The record, as <c>kind:id</c>; never a search term or anything else a person typed.</param>
    /// <param name="subjectContactId">The contact the record belongs to, where it belongs to one.</param>
    void Read(string action, string target, Guid? subjectContactId);
}
