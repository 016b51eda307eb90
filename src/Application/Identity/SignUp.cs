using FluentValidation;
using Mediator;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Identity;

/// <summary>Self-service sign-up: a new account owning a new workspace. Off unless the installation enables it.</summary>
/// <param name="ConfirmAdult">The person confirms being 18 or older (privacy policy §9); signing up accepts the current privacy policy.</param>
public sealed record SignUp(string Email, string Password, string DisplayName, string WorkspaceName, bool ConfirmAdult) : ICommand<WorkspaceDto>;

public sealed class SignUpValidator : AbstractValidator<SignUp>
{
    public SignUpValidator()
    {
        RuleFor(c => c.Email).NotEmpty().EmailAddress().MaximumLength(254);
        RuleFor(c => c.Password).NotEmpty().MaximumLength(200);
        RuleFor(c => c.DisplayName).MaximumLength(120);
        RuleFor(c => c.WorkspaceName).NotEmpty().MaximumLength(Workspace.MaxNameLength);
        RuleFor(c => c.ConfirmAdult).Equal(true).WithMessage(AgeRule.Message);
    }
}

public sealed class SignUpHandler(IUserAccounts accounts, WorkspaceFounder founder, IPrivacyPolicyTerms terms) : ICommandHandler<SignUp, WorkspaceDto>
{
    public async ValueTask<WorkspaceDto> Handle(SignUp command, CancellationToken cancellationToken)
    {
        if (await accounts.FindByEmailAsync(command.Email, cancellationToken) is not null)
            throw new ConflictException("user.exists", "An account with that email exists; sign in instead.");
        var account = await accounts.CreateAsync(command.Email, command.Password, command.DisplayName, platformAdmin: false, "password", cancellationToken);
        await accounts.RecordTermsAsync(account.Id, adultConfirmed: true, terms.Current.Version, cancellationToken);
        return await founder.FoundAsync(command.WorkspaceName, account, cancellationToken);
    }
}

/// <summary>Privacy policy §9: the service is not for people under 18; sign-up and invitations ask them to confirm it.</summary>
public static class AgeRule
{
    public const string Message = "OneInbox is for people of 18 or older: confirm that you are (confirmAdult: true).";
}
