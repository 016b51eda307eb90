using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.Contacts;

public sealed record ListAttributeDefinitions : IQuery<IReadOnlyList<AttributeDefinitionDto>>;

public sealed class ListAttributeDefinitionsHandler(IOneInboxDb db) : IQueryHandler<ListAttributeDefinitions, IReadOnlyList<AttributeDefinitionDto>>
{
    public async ValueTask<IReadOnlyList<AttributeDefinitionDto>> Handle(ListAttributeDefinitions query, CancellationToken cancellationToken) =>
        await db.AttributeDefinitions.AsNoTracking().OrderBy(d => d.Key)
            .Select(d => new AttributeDefinitionDto(d.Id, d.Key, d.Label, d.Type, d.Options))
            .ToListAsync(cancellationToken);
}
