using OneInbox.Domain.Common;

namespace OneInbox.Domain.Privacy;

/// <summary>A workspace's choices for privacy requests: how fast it answers, and what it tells the person.</summary>
public sealed class PrivacySettings : TenantEntity
{
    public const string DefaultErasureConfirmation = "Your personal data has been deleted, as you asked. This is the last message you will receive from us.";
    public const string DefaultErasureRefusal = "We could not delete all of your data: {reason}.";

    private PrivacySettings(int responseDays, string erasureConfirmation)
    {
        ResponseDays = responseDays;
        ErasureConfirmation = erasureConfirmation;
    }

    /// <summary>Days within which a request is answered: the law's 30, or fewer if the workspace promises it.</summary>
    public int ResponseDays { get; private set; }

    /// <summary>Sent over the person's channel when their erasure is carried out (before their identity goes).</summary>
    public string ErasureConfirmation { get; private set; }

    public static PrivacySettings Defaults() => new(PrivacyRequest.MaxDays, DefaultErasureConfirmation);

    public void Change(int? responseDays, string? erasureConfirmation)
    {
        if (responseDays is { } days)
        {
            if (days is < 1 or > PrivacyRequest.MaxDays)
                throw new DomainException("privacy.days", $"A workspace may answer faster than the law's {PrivacyRequest.MaxDays} days, never slower.");
            ResponseDays = days;
        }
        if (erasureConfirmation is not null)
        {
            var text = erasureConfirmation.Trim();
            if (text.Length is 0 or > 1000)
                throw new DomainException("privacy.confirmation", "The erasure confirmation has 1 to 1000 characters.");
            ErasureConfirmation = text;
        }
    }
}
