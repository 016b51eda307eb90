using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>What Meta is answered: where the person follows their request, and its code.</summary>
public sealed record MetaDeletionReceipt(string ConfirmationCode);

/// <summary>
/// Meta's data deletion callback for a WhatsApp connection: a verified <c>signed_request</c> opens an erasure request
/// for the contact whose WhatsApp account is the <c>user_id</c> (or finds the open one); an account that names no
/// contact gets a case closed at once, saying no data is held. Null (401, nothing stored) for anything not proven.
/// </summary>
public sealed record AcceptMetaDataDeletion(Guid ConnectionId, string? SignedRequest) : ICommand<MetaDeletionReceipt?>;

public sealed partial class AcceptMetaDataDeletionHandler(
    IOneInboxDb db, IServiceScopeFactory scopes, TimeProvider clock, ILogger<AcceptMetaDataDeletionHandler> logger)
    : ICommandHandler<AcceptMetaDataDeletion, MetaDeletionReceipt?>
{
    /// <summary>The WhatsApp module's credential that holds the app secret.</summary>
    public const string AppSecretField = "appSecret";

    public async ValueTask<MetaDeletionReceipt?> Handle(AcceptMetaDataDeletion command, CancellationToken cancellationToken)
    {
        // No principal on a callback: the connection names the workspace.
        var connection = await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == command.ConnectionId && c.Type == ChannelType.WhatsApp)
            .Select(c => new { c.WorkspaceId, c.Credentials })
            .FirstOrDefaultAsync(cancellationToken);
        var secret = connection is null ? null : ChannelCredentials.Deserialize(connection.Credentials).GetValueOrDefault(AppSecretField);
        var check = MetaSignedRequest.Check(command.SignedRequest, secret ?? string.Empty, clock.GetUtcNow(), out var userId);
        if (connection is null || string.IsNullOrEmpty(secret) || check != SignedRequestCheck.Valid)
        {
            LogRefused(command.ConnectionId, connection is null ? "unknown connection" : check.ToString());
            return null;
        }

        await using var scope = scopes.CreateWorkspaceScope(connection.WorkspaceId);
        var workspaceDb = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
        var contactId = await workspaceDb.ChannelIdentities.AsNoTracking()
            .Where(i => i.Channel == ChannelType.WhatsApp && i.ExternalId == userId)
            .Select(i => (Guid?)i.ContactId).FirstOrDefaultAsync(cancellationToken);
        PrivacyRequest request;
        if (contactId is { } id)
        {
            var open = await workspaceDb.PrivacyRequests.FirstOrDefaultAsync(r => r.ContactId == id && r.Type == PrivacyRequestType.Erasure
                && (r.Status == PrivacyRequestStatus.Received || r.Status == PrivacyRequestStatus.InProgress), cancellationToken);
            if (open is not null)
                return new MetaDeletionReceipt(open.ConfirmationCode);
            var settings = await workspaceDb.GetPrivacySettingsAsync(cancellationToken);
            request = PrivacyRequest.Receive(PrivacyRequestType.Erasure, null, PrivacyRequestChannel.MetaCallback, id, null, null, null, settings.ResponseDays, null, clock);
        }
        else
        {
            request = PrivacyRequest.NothingHeld(PrivacyRequestType.Erasure, PrivacyRequestChannel.MetaCallback, $"{ChannelType.WhatsApp}:{userId}", clock);
        }
        workspaceDb.PrivacyRequests.Add(request);
        scope.ServiceProvider.GetRequiredService<IAuditLog>().Record("privacy.request_received", request.Id.ToString(), "Erasure by MetaCallback", actor: "meta");
        await workspaceDb.SaveChangesAsync(cancellationToken);
        return new MetaDeletionReceipt(request.ConfirmationCode);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meta data deletion callback for connection {ConnectionId} refused: {Reason}")]
    private partial void LogRefused(Guid connectionId, string reason);
}

/// <summary>What the public status page shows of a case: its kind, state and dates, nothing about the person.</summary>
public sealed record DeletionStatusDto(
    PrivacyRequestType Type, PrivacyRequestStatus Status, DateTimeOffset ReceivedAt, DateTimeOffset DueAt, DateTimeOffset? ClosedAt,
    string? Outcome, string? RefusalLegalBasis);

/// <summary>A case found by its public confirmation code (the code is the secret), in whichever workspace it is.</summary>
public sealed record GetDeletionStatus(string Code) : IQuery<DeletionStatusDto?>;

public sealed class GetDeletionStatusHandler(IOneInboxDb db) : IQueryHandler<GetDeletionStatus, DeletionStatusDto?>
{
    public async ValueTask<DeletionStatusDto?> Handle(GetDeletionStatus query, CancellationToken cancellationToken)
    {
        if (query.Code.Length != 32 || !query.Code.All(char.IsAsciiHexDigitLower))
            return null;
        var request = await db.PrivacyRequests.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(r => r.ConfirmationCode == query.Code, cancellationToken);
        // The outcome of a completed erasure says what was erased (counts, no names); a refusal shows only its legal basis.
        return request is null ? null : new DeletionStatusDto(request.Type, request.Status, request.ReceivedAt, request.DueAt, request.ClosedAt,
            request.Status == PrivacyRequestStatus.Completed ? request.Outcome : null, request.RefusalLegalBasis);
    }
}
