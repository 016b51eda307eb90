using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Common.Paging;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>A connection's outbox rows by status (failed ones by default), oldest first; never their payloads.</summary>
public sealed record ListOutbox(Guid ConnectionId, string? Status, string? Cursor, int? Limit) : IQuery<CursorPage<OutboxDto>>;

public sealed record OutboxDto(Guid Id, Guid MessageId, OutboxStatus Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt, string? ProviderMessageId, string? LastError);

public sealed class ListOutboxValidator : AbstractValidator<ListOutbox>
{
    public ListOutboxValidator()
    {
        RuleFor(q => q.Status).IsNameOf<ListOutbox, OutboxStatus>();
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.Cursor).Must(Cursor.IsValid).WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class ListOutboxHandler(IOneInboxDb db) : IQueryHandler<ListOutbox, CursorPage<OutboxDto>>
{
    public async ValueTask<CursorPage<OutboxDto>> Handle(ListOutbox query, CancellationToken cancellationToken)
    {
        if (!await db.ChannelConnections.AnyAsync(c => c.Id == query.ConnectionId, cancellationToken))
            throw new NotFoundException("channel connection", query.ConnectionId);
        var status = query.Status is null ? OutboxStatus.Failed : Enum.Parse<OutboxStatus>(query.Status, ignoreCase: true);
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var rows = db.OutboxMessages.AsNoTracking().Where(o => o.ConnectionId == query.ConnectionId && o.Status == status);
        if (Cursor.TryDecode(query.Cursor, out var after))
            rows = rows.Where(o => o.Id > after);
        var page = await rows.OrderBy(o => o.Id).Take(limit + 1)
            .Select(o => new OutboxDto(o.Id, o.MessageId, o.Status, o.Attempts, o.CreatedAt, o.NextAttemptAt, o.SentAt, o.ProviderMessageId, o.LastError))
            .ToListAsync(cancellationToken);
        return Cursor.Page(page, limit, o => o.Id);
    }
}
