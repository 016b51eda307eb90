using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

public sealed record PrivacyRequestDto(
    Guid Id,
    PrivacyRequestType Type,
    PrivacyPurpose? Purpose,
    PrivacyRequestChannel Channel,
    Guid? ContactId,
    Guid? MemberUserId,
    string? CorrectionField,
    string? CorrectionValue,
    PrivacyRequestStatus Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? ClosedAt,
    bool Overdue,
    double DaysLeft,
    string? Outcome,
    string? RefusalReason,
    string? RefusalLegalBasis,
    bool SubjectErased,
    IReadOnlyList<PrivacyRequestEvent> Timeline);

public static class PrivacyRequests
{
    public static PrivacyRequestDto ToDto(this PrivacyRequest request, DateTimeOffset now) => new(
        request.Id, request.Type, request.Purpose, request.Channel, request.ContactId, request.MemberUserId,
        request.CorrectionField, request.CorrectionValue, request.Status, request.ReceivedAt, request.DueAt, request.ClosedAt,
        request.IsOverdue(now), Math.Round((request.DueAt - now).TotalDays, 2), request.Outcome, request.RefusalReason, request.RefusalLegalBasis,
        request.SubjectHash is not null, request.Timeline);

    public static async Task<PrivacyRequest> GetPrivacyRequestAsync(this IOneInboxDb db, Guid requestId, CancellationToken cancellationToken) =>
        await db.PrivacyRequests.FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken)
        ?? throw new NotFoundException("Privacy request", requestId);

    public static async Task<PrivacySettings> GetPrivacySettingsAsync(this IOneInboxDb db, CancellationToken cancellationToken) =>
        await db.PrivacySettings.FirstOrDefaultAsync(cancellationToken) ?? PrivacySettings.Defaults();

    /// <summary>
    /// HMAC-SHA256 of the identities a case named (channel accounts, phone numbers, emails), keyed by the case's
    /// own salt: whoever holds an identity can show the case was theirs; the case alone reveals nothing.
    /// </summary>
    public static string SubjectHash(string salt, IEnumerable<string> identities) => PrivacyRequest.HashOf(salt, identities);
}
