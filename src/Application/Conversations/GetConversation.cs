using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Conversations;

public sealed record GetConversation(Guid ConversationId) : IQuery<ConversationDto>;

public sealed class GetConversationHandler(IOneInboxDb db, ICurrentUser user) : IQueryHandler<GetConversation, ConversationDto>
{
    public async ValueTask<ConversationDto> Handle(GetConversation query, CancellationToken cancellationToken) =>
        await db.ReadConversationAsync(query.ConversationId, user.UserId, cancellationToken);
}
