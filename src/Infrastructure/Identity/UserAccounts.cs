using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Identity;
using OpenIddict.Abstractions;

namespace OneInbox.Infrastructure.Identity;

internal sealed class UserAccounts(
    UserManager<OneInboxUser> users,
    SignInManager<OneInboxUser> signIn,
    IOpenIddictTokenManager tokens,
    TimeProvider clock) : IUserAccounts
{
    public async Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        ToAccount(await users.FindByEmailAsync(email.Trim()));

    public async Task<UserAccount?> FindByIdAsync(Guid userId, CancellationToken cancellationToken) =>
        ToAccount(await users.FindByIdAsync(userId.ToString()));

    public async Task<UserAccount> CreateAsync(string email, string password, string displayName, bool platformAdmin, string passwordField, CancellationToken cancellationToken)
    {
        var normalized = email.Trim().ToLowerInvariant();
        var user = new OneInboxUser
        {
            Id = OneInbox.Domain.Common.SequentialGuid.Next(),
            UserName = normalized,
            Email = normalized,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? normalized.Split('@')[0] : displayName.Trim(),
            IsPlatformAdmin = platformAdmin,
            CreatedAt = clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, password);
        if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            throw new ConflictException("user.exists", "An account with that email exists.");
        ThrowIfFailed(result, passwordField);
        return ToAccount(user)!;
    }

    public async Task<bool> CheckPasswordAsync(Guid userId, string password, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        return user is not null && (await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true)).Succeeded;
    }

    public async Task ChangePasswordAsync(Guid userId, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new NotFoundException("User", userId);
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (result.Errors.Any(e => e.Code == "PasswordMismatch"))
            throw new ValidationException([new ValidationFailure("currentPassword", "The current password is not right.")]);
        ThrowIfFailed(result, "newPassword");
        await tokens.RevokeBySubjectAsync(userId.ToString(), cancellationToken);
    }

    public async Task InvalidateTokensAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
            return;
        await users.UpdateSecurityStampAsync(user);
        await tokens.RevokeBySubjectAsync(userId.ToString(), cancellationToken);
    }

    public async Task RecordTermsAsync(Guid userId, bool adultConfirmed, string? policyVersion, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new NotFoundException("User", userId);
        var now = clock.GetUtcNow();
        if (adultConfirmed)
            user.AdultConfirmedAt ??= now;
        if (policyVersion is not null && policyVersion != user.AcceptedPolicyVersion)
        {
            user.AcceptedPolicyVersion = policyVersion;
            user.PolicyAcceptedAt = now;
        }
        ThrowIfFailed(await users.UpdateAsync(user), "user");
    }

    public async Task DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
            return;
        await tokens.RevokeBySubjectAsync(userId.ToString(), cancellationToken);
        ThrowIfFailed(await users.DeleteAsync(user), "user");
    }

    private static void ThrowIfFailed(IdentityResult result, string field)
    {
        if (!result.Succeeded)
            throw new ValidationException(result.Errors.Select(e => new ValidationFailure(field, e.Description)));
    }

    private static UserAccount? ToAccount(OneInboxUser? user) =>
        user is null ? null : new UserAccount(user.Id, user.Email!, user.DisplayName, user.IsPlatformAdmin,
            user.AdultConfirmedAt, user.AcceptedPolicyVersion, user.PolicyAcceptedAt);
}
