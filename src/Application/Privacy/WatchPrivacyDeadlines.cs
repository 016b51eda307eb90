using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>
/// The daily round over one workspace's open cases: warns Owners and Admins 7 days and 1 day before a due date
/// (each warning once, as a real-time event and on the case's timeline), and records on the timeline and in the
/// audit log the day a case passes its due date, so that no case goes overdue unnoticed. (What can be carried
/// out automatically is applied when a case is completed; a case needs a person's decision to complete.)
/// </summary>
public sealed record WatchPrivacyDeadlines : ICommand<PrivacyDeadlineRound>;

public sealed record PrivacyDeadlineRound(int Warned, int Overdue);

public sealed class WatchPrivacyDeadlinesHandler(IOneInboxDb db, IAuditLog audit, TimeProvider clock) : ICommandHandler<WatchPrivacyDeadlines, PrivacyDeadlineRound>
{
    public static readonly int[] WarningDays = [7, 1];

    public async ValueTask<PrivacyDeadlineRound> Handle(WatchPrivacyDeadlines command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var horizon = now.AddDays(WarningDays.Max());
        var open = await db.PrivacyRequests
            .Where(r => (r.Status == PrivacyRequestStatus.Received || r.Status == PrivacyRequestStatus.InProgress) && r.DueAt <= horizon)
            .ToListAsync(cancellationToken);
        int warned = 0, overdue = 0;
        foreach (var request in open)
        {
            if (request.IsOverdue(now))
            {
                if (request.WarnedDaysBefore != 0)
                {
                    request.Warn(0, clock);
                    audit.Record("privacy.request_overdue", request.Id.ToString(), request.Type.ToString());
                    overdue++;
                }
                continue;
            }
            var daysLeft = (request.DueAt - now).TotalDays;
            var level = WarningDays.Where(d => daysLeft <= d).Min();
            if (request.Warn(level, clock))
                warned++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new PrivacyDeadlineRound(warned, overdue);
    }
}
