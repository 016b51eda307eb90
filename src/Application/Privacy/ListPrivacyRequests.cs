using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>The workspace's cases, the nearest due date first (open ones before closed ones); optionally of one contact or status.</summary>
public sealed record ListPrivacyRequests(Guid? ContactId = null, PrivacyRequestStatus? Status = null, bool? Overdue = null)
    : IQuery<IReadOnlyList<PrivacyRequestDto>>;

public sealed class ListPrivacyRequestsHandler(IOneInboxDb db, TimeProvider clock) : IQueryHandler<ListPrivacyRequests, IReadOnlyList<PrivacyRequestDto>>
{
    public const int MaxRows = 500;

    public async ValueTask<IReadOnlyList<PrivacyRequestDto>> Handle(ListPrivacyRequests query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var requests = db.PrivacyRequests.AsNoTracking();
        if (query.ContactId is { } contactId)
            requests = requests.Where(r => r.ContactId == contactId);
        if (query.Status is { } status)
            requests = requests.Where(r => r.Status == status);
        var rows = await requests.OrderBy(r => r.Status == PrivacyRequestStatus.Completed || r.Status == PrivacyRequestStatus.Refused)
            .ThenBy(r => r.DueAt).Take(MaxRows).ToListAsync(cancellationToken);
        return rows.Where(r => query.Overdue is not { } overdue || r.IsOverdue(now) == overdue).Select(r => r.ToDto(now)).ToList();
    }
}

public sealed record GetPrivacyRequest(Guid RequestId) : IQuery<PrivacyRequestDto>;

public sealed class GetPrivacyRequestHandler(IOneInboxDb db, TimeProvider clock) : IQueryHandler<GetPrivacyRequest, PrivacyRequestDto>
{
    public async ValueTask<PrivacyRequestDto> Handle(GetPrivacyRequest query, CancellationToken cancellationToken) =>
        (await db.GetPrivacyRequestAsync(query.RequestId, cancellationToken)).ToDto(clock.GetUtcNow());
}
