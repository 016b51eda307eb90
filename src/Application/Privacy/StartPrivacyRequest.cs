using Mediator;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;

namespace OneInbox.Application.Privacy;

/// <summary>Someone takes the case on: it shows as in progress.</summary>
public sealed record StartPrivacyRequest(Guid RequestId) : ICommand<PrivacyRequestDto>;

public sealed class StartPrivacyRequestHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock) : ICommandHandler<StartPrivacyRequest, PrivacyRequestDto>
{
    public async ValueTask<PrivacyRequestDto> Handle(StartPrivacyRequest command, CancellationToken cancellationToken)
    {
        var request = await db.GetPrivacyRequestAsync(command.RequestId, cancellationToken);
        request.Start(user.UserId, clock);
        audit.Record("privacy.request_started", request.Id.ToString(), request.Type.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return request.ToDto(clock.GetUtcNow());
    }
}
