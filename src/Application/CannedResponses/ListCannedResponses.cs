using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.CannedResponses;

/// <summary>The workspace's canned responses by short code; a prefix narrows them as the agent types "/ship...".</summary>
public sealed record ListCannedResponses(string? Prefix) : IQuery<IReadOnlyList<CannedResponseDto>>;

public sealed class ListCannedResponsesValidator : AbstractValidator<ListCannedResponses>
{
    public ListCannedResponsesValidator() => RuleFor(q => q.Prefix).MaximumLength(50);
}

public sealed class ListCannedResponsesHandler(IOneInboxDb db) : IQueryHandler<ListCannedResponses, IReadOnlyList<CannedResponseDto>>
{
    public async ValueTask<IReadOnlyList<CannedResponseDto>> Handle(ListCannedResponses query, CancellationToken cancellationToken)
    {
        var responses = db.CannedResponses.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Prefix))
        {
            var prefix = query.Prefix.Trim().TrimStart('/').ToLowerInvariant();
            responses = responses.Where(r => r.ShortCode.StartsWith(prefix));
        }
        return await responses.OrderBy(r => r.ShortCode)
            .Select(r => new CannedResponseDto(r.Id, r.ShortCode, r.Text, r.UpdatedAt))
            .ToListAsync(cancellationToken);
    }
}
