using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.CannedResponses;

public sealed record DeleteCannedResponse(Guid CannedResponseId) : ICommand<Unit>;

public sealed class DeleteCannedResponseHandler(IOneInboxDb db) : ICommandHandler<DeleteCannedResponse, Unit>
{
    public async ValueTask<Unit> Handle(DeleteCannedResponse command, CancellationToken cancellationToken)
    {
        var response = await db.CannedResponses.FirstOrDefaultAsync(r => r.Id == command.CannedResponseId, cancellationToken)
            ?? throw new NotFoundException("Canned response", command.CannedResponseId);
        db.CannedResponses.Remove(response);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
