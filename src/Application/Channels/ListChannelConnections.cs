using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.Channels;

/// <summary>Every connection of the workspace with its health; a workspace has a handful, so no paging.</summary>
public sealed record ListChannelConnections : IQuery<IReadOnlyList<ChannelConnectionDto>>;

public sealed class ListChannelConnectionsHandler(IOneInboxDb db) : IQueryHandler<ListChannelConnections, IReadOnlyList<ChannelConnectionDto>>
{
    public async ValueTask<IReadOnlyList<ChannelConnectionDto>> Handle(ListChannelConnections query, CancellationToken cancellationToken) =>
        await db.ChannelConnections.AsNoTracking().OrderBy(c => c.CreatedAt).ProjectToDto(db).ToListAsync(cancellationToken);
}
