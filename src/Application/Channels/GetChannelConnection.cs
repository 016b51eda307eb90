using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Channels;

public sealed record GetChannelConnection(Guid ConnectionId) : IQuery<ChannelConnectionDto>;

public sealed class GetChannelConnectionHandler(IOneInboxDb db) : IQueryHandler<GetChannelConnection, ChannelConnectionDto>
{
    public async ValueTask<ChannelConnectionDto> Handle(GetChannelConnection query, CancellationToken cancellationToken) =>
        await db.ChannelConnections.AsNoTracking().Where(c => c.Id == query.ConnectionId).ProjectToDto(db).FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("channel connection", query.ConnectionId);
}
