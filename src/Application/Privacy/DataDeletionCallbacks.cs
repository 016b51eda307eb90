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

/// <summary>What the provider is answered: the code under which the person follows their request.</summary>
public sealed record DataDeletionReceipt(string ConfirmationCode);

/// <summary>
/// A provider's data deletion callback (see <see cref="IDataDeletionCallback"/>): a proven request opens an erasure
/// request for the contact whose account on that channel it names (or finds the open one); an account that names no
/// contact gets a case closed at once, saying no data is held. Null (401, nothing stored) for anything not proven.
/// </summary>
public sealed record AcceptDataDeletionCallback(Guid ConnectionId, string? SignedRequest) : ICommand<DataDeletionReceipt?>;

public sealed partial class AcceptDataDeletionCallbackHandler(
    IOneInboxDb db, IEnumerable<IDataDeletionCallback> callbacks, IServiceScopeFactory scopes, TimeProvider clock,
    ILogger<AcceptDataDeletionCallbackHandler> logger)
    : ICommandHandler<AcceptDataDeletionCallback, DataDeletionReceipt?>
{
    public async ValueTask<DataDeletionReceipt?> Handle(AcceptDataDeletionCallback command, CancellationToken cancellationToken)
    {
        // No principal on a callback: the connection names the workspace.
        var connection = await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == command.ConnectionId)
            .Select(c => new { c.WorkspaceId, c.Type, c.InboundSecret, c.Credentials })
            .FirstOrDefaultAsync(cancellationToken);
        var callback = connection is null ? null : callbacks.FirstOrDefault(c => c.Channel == connection.Type);
        var account = connection is null || callback is null
            ? null
            : callback.VerifiedAccount(new InboundAuth(command.ConnectionId, connection.WorkspaceId, connection.Type, connection.InboundSecret,
                ChannelCredentials.Deserialize(connection.Credentials)), command.SignedRequest, clock.GetUtcNow());
        if (connection is null || account is null)
        {
            LogRefused(command.ConnectionId);
            return null;
        }

        await using var scope = scopes.CreateWorkspaceScope(connection.WorkspaceId);
        var workspaceDb = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
        var contactId = await workspaceDb.ChannelIdentities.AsNoTracking()
            .Where(i => i.Channel == connection.Type && i.ExternalId == account)
            .Select(i => (Guid?)i.ContactId).FirstOrDefaultAsync(cancellationToken);
        PrivacyRequest request;
        if (contactId is { } id)
        {
            var open = await workspaceDb.PrivacyRequests.FirstOrDefaultAsync(r => r.ContactId == id && r.Type == PrivacyRequestType.Erasure
                && (r.Status == PrivacyRequestStatus.Received || r.Status == PrivacyRequestStatus.InProgress), cancellationToken);
            if (open is not null)
                return new DataDeletionReceipt(open.ConfirmationCode);
            var settings = await workspaceDb.GetPrivacySettingsAsync(cancellationToken);
            request = PrivacyRequest.Receive(PrivacyRequestType.Erasure, null, PrivacyRequestChannel.MetaCallback, id, null, null, null, settings.ResponseDays, null, clock);
        }
        else
        {
            request = PrivacyRequest.NothingHeld(PrivacyRequestType.Erasure, PrivacyRequestChannel.MetaCallback, $"{connection.Type}:{account}", clock);
        }
        workspaceDb.PrivacyRequests.Add(request);
        scope.ServiceProvider.GetRequiredService<IAuditLog>().Record("privacy.request_received", request.Id.ToString(), $"Erasure by {connection.Type} deletion callback", actor: "provider");
        await workspaceDb.SaveChangesAsync(cancellationToken);
        return new DataDeletionReceipt(request.ConfirmationCode);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A data deletion callback for connection {ConnectionId} was refused: unknown connection, no callback for its channel, or not proven")]
    private partial void LogRefused(Guid connectionId);
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
