using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Identity;

/// <summary>Changes the signed-in user's password; every token issued before stops working.</summary>
public sealed record ChangePassword(string CurrentPassword, string NewPassword) : ICommand;

public sealed class ChangePasswordValidator : AbstractValidator<ChangePassword>
{
    public ChangePasswordValidator()
    {
        RuleFor(c => c.CurrentPassword).NotEmpty();
        RuleFor(c => c.NewPassword).NotEmpty().MaximumLength(200).NotEqual(c => c.CurrentPassword).WithMessage("The new password must differ from the current one.");
    }
}

public sealed class ChangePasswordHandler(IUserAccounts accounts, ICurrentUser user, IAuditLog audit, IOneInboxDb db) : ICommandHandler<ChangePassword>
{
    public async ValueTask<Unit> Handle(ChangePassword command, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? throw new ForbiddenException("Integration clients have no password.");
        await accounts.ChangePasswordAsync(userId, command.CurrentPassword, command.NewPassword, cancellationToken);
        audit.Record("user.password_changed", userId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
