using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>Refuses a case, with the reason and the legal basis (a legal hold, tax records, a manifestly unfounded request...).</summary>
public sealed record RefusePrivacyRequest(Guid RequestId, string Reason, string LegalBasis) : ICommand<PrivacyRequestDto>;

public sealed class RefusePrivacyRequestValidator : AbstractValidator<RefusePrivacyRequest>
{
    public RefusePrivacyRequestValidator()
    {
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(PrivacyRequest.MaxTextLength);
        RuleFor(c => c.LegalBasis).NotEmpty().MaximumLength(PrivacyRequest.MaxTextLength);
    }
}

public sealed class RefusePrivacyRequestHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock) : ICommandHandler<RefusePrivacyRequest, PrivacyRequestDto>
{
    public async ValueTask<PrivacyRequestDto> Handle(RefusePrivacyRequest command, CancellationToken cancellationToken)
    {
        var request = await db.GetPrivacyRequestAsync(command.RequestId, cancellationToken);
        request.Refuse(command.Reason, command.LegalBasis, user.UserId, clock);
        audit.Record("privacy.request_refused", request.Id.ToString(), command.LegalBasis);
        await db.SaveChangesAsync(cancellationToken);
        return request.ToDto(clock.GetUtcNow());
    }
}
