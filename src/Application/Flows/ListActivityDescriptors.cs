using Mediator;

namespace OneInbox.Application.Flows;

/// <summary>The activity catalogue the designer builds its palette and input forms from.</summary>
public sealed record ListActivityDescriptors : IQuery<IReadOnlyList<ActivityDescriptorDto>>;

public sealed class ListActivityDescriptorsHandler(IFlowEngine engine) : IQueryHandler<ListActivityDescriptors, IReadOnlyList<ActivityDescriptorDto>>
{
    public ValueTask<IReadOnlyList<ActivityDescriptorDto>> Handle(ListActivityDescriptors query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(engine.Descriptors);
}
