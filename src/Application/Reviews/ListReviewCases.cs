using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

/// <summary>The queue: open cases first by nearest due date (overdue ones first of all), then decided ones, newest first.</summary>
public sealed record ListReviewCases(ReviewStatus? Status, bool? Overdue) : IQuery<IReadOnlyList<ReviewCaseDto>>;

public sealed class ListReviewCasesHandler(IOneInboxDb db, TimeProvider clock) : IQueryHandler<ListReviewCases, IReadOnlyList<ReviewCaseDto>>
{
    private const int MaxCases = 500;

    public async ValueTask<IReadOnlyList<ReviewCaseDto>> Handle(ListReviewCases query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cases = db.ReviewCases.AsNoTracking();
        if (query.Status is { } status)
            cases = cases.Where(c => c.Status == status);
        if (query.Overdue == true)
            cases = cases.Where(c => (c.Status == ReviewStatus.Open || c.Status == ReviewStatus.InReview) && c.DueAt < now);
        var list = await cases.OrderBy(c => c.Status == ReviewStatus.Open || c.Status == ReviewStatus.InReview ? 0 : 1)
            .ThenBy(c => c.DueAt).Take(MaxCases).ToListAsync(cancellationToken);
        var ordered = list.Where(c => c.IsOpen).OrderBy(c => c.DueAt)
            .Concat(list.Where(c => !c.IsOpen).OrderByDescending(c => c.DecidedAt)).ToList();
        return await db.ToDtosAsync(ordered, now, cancellationToken);
    }
}
