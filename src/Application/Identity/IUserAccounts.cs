namespace OneInbox.Application.Identity;

/// <summary>User accounts (ASP.NET Core Identity behind it): passwords, lockout and security stamps stay there.</summary>
public interface IUserAccounts
{
    Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    Task<UserAccount?> FindByIdAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Creates an account; a password the policy refuses raises a validation error on <paramref name="passwordField"/>.</summary>
    Task<UserAccount> CreateAsync(string email, string password, string displayName, bool platformAdmin, string passwordField, CancellationToken cancellationToken);

    /// <summary>Checks a password, counting a wrong one towards lockout.</summary>
    Task<bool> CheckPasswordAsync(Guid userId, string password, CancellationToken cancellationToken);

    /// <summary>Changes the password and the security stamp, so every token issued before stops working.</summary>
    Task ChangePasswordAsync(Guid userId, string currentPassword, string newPassword, CancellationToken cancellationToken);

    /// <summary>Makes existing tokens of the user stop working (membership removed, for example).</summary>
    Task InvalidateTokensAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Records that the person confirmed being 18 or older (kept from the first time) and the policy version they accepted now.</summary>
    Task RecordTermsAsync(Guid userId, bool adultConfirmed, string? policyVersion, CancellationToken cancellationToken);

    /// <summary>Deletes the account: name, email, phone and password go, and every token of it is revoked.</summary>
    Task DeleteAsync(Guid userId, CancellationToken cancellationToken);
}

public sealed record UserAccount(
    Guid Id, string Email, string DisplayName, bool IsPlatformAdmin,
    DateTimeOffset? AdultConfirmedAt = null, string? AcceptedPolicyVersion = null, DateTimeOffset? PolicyAcceptedAt = null);
