using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Common.Paging;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>A connection's inbound envelopes by status (parked ones by default), oldest first; never their payloads.</summary>
public sealed record ListEnvelopes(Guid ConnectionId, string? Status, string? Cursor, int? Limit) : IQuery<CursorPage<EnvelopeDto>>;

public sealed record EnvelopeDto(Guid Id, string ProviderId, EnvelopeStatus Status, int Attempts, DateTimeOffset ReceivedAt,
    DateTimeOffset NextAttemptAt, DateTimeOffset? ProcessedAt, string? LastError);

public sealed class ListEnvelopesValidator : AbstractValidator<ListEnvelopes>
{
    public ListEnvelopesValidator()
    {
        RuleFor(q => q.Status).IsNameOf<ListEnvelopes, EnvelopeStatus>();
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.Cursor).Must(Cursor.IsValid).WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class ListEnvelopesHandler(IOneInboxDb db) : IQueryHandler<ListEnvelopes, CursorPage<EnvelopeDto>>
{
    public async ValueTask<CursorPage<EnvelopeDto>> Handle(ListEnvelopes query, CancellationToken cancellationToken)
    {
        if (!await db.ChannelConnections.AnyAsync(c => c.Id == query.ConnectionId, cancellationToken))
            throw new NotFoundException("channel connection", query.ConnectionId);
        var status = query.Status is null ? EnvelopeStatus.Failed : Enum.Parse<EnvelopeStatus>(query.Status, ignoreCase: true);
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var rows = db.InboundEnvelopes.AsNoTracking().Where(e => e.ConnectionId == query.ConnectionId && e.Status == status);
        if (Cursor.TryDecode(query.Cursor, out var after))
            rows = rows.Where(e => e.Id > after);
        var page = await rows.OrderBy(e => e.Id).Take(limit + 1)
            .Select(e => new EnvelopeDto(e.Id, e.ProviderId, e.Status, e.Attempts, e.ReceivedAt, e.NextAttemptAt, e.ProcessedAt, e.LastError))
            .ToListAsync(cancellationToken);
        return Cursor.Page(page, limit, e => e.Id);
    }
}
