using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Conversations;

namespace OneInbox.Application.CannedResponses;

/// <summary>
/// Fills a canned response in for a conversation: contact.name, contact.email, contact.phone,
/// contact.company, contact.attributes.KEY and agent.name, so the agent can review before sending.
/// </summary>
public sealed record RenderCannedResponse(Guid CannedResponseId, Guid ConversationId) : IQuery<RenderedCannedResponse>;

public sealed record RenderedCannedResponse(string Text);

public sealed class RenderCannedResponseHandler(IOneInboxDb db, ICurrentUser user) : IQueryHandler<RenderCannedResponse, RenderedCannedResponse>
{
    public async ValueTask<RenderedCannedResponse> Handle(RenderCannedResponse query, CancellationToken cancellationToken)
    {
        var template = await db.CannedResponses.AsNoTracking().Where(r => r.Id == query.CannedResponseId).Select(r => r.Text).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Canned response", query.CannedResponseId);
        var conversation = await db.ReadConversationAsync(query.ConversationId, user.UserId, cancellationToken);
        var contact = await db.Contacts.AsNoTracking().FirstAsync(c => c.Id == conversation.ContactId, cancellationToken);
        var agentName = user.UserId is { } me
            ? await db.Members.AsNoTracking().Where(m => m.UserId == me).Select(m => m.DisplayName).FirstOrDefaultAsync(cancellationToken)
            : null;

        var model = new Dictionary<string, IReadOnlyDictionary<string, object?>>
        {
            ["contact"] = new Dictionary<string, object?>
            {
                ["name"] = contact.DisplayName,
                ["email"] = contact.Emails.Count > 0 ? contact.Emails[0] : null,
                ["phone"] = contact.PhoneNumbers.Count > 0 ? contact.PhoneNumbers[0] : null,
                ["company"] = contact.Company,
                ["attributes"] = contact.Attributes.ToDictionary(a => a.Key, a => (object?)a.Value),
            },
            ["agent"] = new Dictionary<string, object?> { ["name"] = agentName },
        };
        return new RenderedCannedResponse(await LiquidTemplates.RenderAsync(template, model));
    }
}
