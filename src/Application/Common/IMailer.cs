namespace OneInbox.Application.Common;

/// <summary>A plain-text mail to one person: confirmations of what they did to their account or workspace.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text);

/// <summary>Sends mail through the installation's SMTP server (Infrastructure), or keeps it in a folder when none is configured.</summary>
public interface IMailer
{
    /// <summary>Sends after the caller's change was saved; a failure is logged and does not undo the change.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
