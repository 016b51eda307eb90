using Mediator;

namespace OneInbox.Application.Channels;

/// <summary>The kinds of channel this installation can connect, each described by its module for the Studio's forms.</summary>
public sealed record ListChannelTypes : IQuery<IReadOnlyList<ChannelTypeDto>>;

public sealed class ListChannelTypesHandler(ChannelModules modules) : IQueryHandler<ListChannelTypes, IReadOnlyList<ChannelTypeDto>>
{
    public ValueTask<IReadOnlyList<ChannelTypeDto>> Handle(ListChannelTypes query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ChannelTypeDto>>(modules.All.Select(m => m.Description).ToList());
}
