using System.Globalization;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Identity;

/// <param name="ChannelsLeftConnected">Connections whose provider refused the removal of their webhook (the bot is silent anyway).</param>
public sealed record WorkspaceClosureDto(Guid Id, string Name, DateTimeOffset? ClosedAt, DateTimeOffset? PurgeAt, IReadOnlyList<string> ChannelsLeftConnected);

/// <summary>
/// An Owner closes the workspace (privacy policy §4.3): its channels are disconnected at the providers, members and
/// integration clients lose access with the next request, bots stop; the data is kept <see cref="Workspace.ClosureGraceDays"/>
/// days, during which a platform administrator can reopen it, and then purged with its keys. The Owner repeats the
/// workspace's name to confirm.
/// </summary>
public sealed record CloseWorkspace(string ConfirmName) : ICommand<WorkspaceClosureDto>;

public sealed class CloseWorkspaceValidator : AbstractValidator<CloseWorkspace>
{
    public CloseWorkspaceValidator() => RuleFor(c => c.ConfirmName).NotEmpty().MaximumLength(Workspace.MaxNameLength);
}

public sealed class CloseWorkspaceHandler(IOneInboxDb db, WorkspaceContext context, ICurrentUser user, WorkspaceCloser closer)
    : ICommandHandler<CloseWorkspace, WorkspaceClosureDto>
{
    public async ValueTask<WorkspaceClosureDto> Handle(CloseWorkspace command, CancellationToken cancellationToken)
    {
        var owner = user.RequireOwner("Only an Owner closes the workspace.");
        var name = await db.Workspaces.Where(w => w.Id == context.WorkspaceId).Select(w => w.Name).FirstAsync(cancellationToken);
        if (!string.Equals(command.ConfirmName.Trim(), name, StringComparison.OrdinalIgnoreCase))
            throw new UnprocessableException("confirmName", "Type the workspace's name exactly to confirm that it closes.");
        return await closer.CloseAsync(context.WorkspaceId, owner, "closed by an Owner", cancellationToken);
    }
}

/// <summary>A platform administrator reopens a closed workspace within its grace period: access and channels come back.</summary>
public sealed record ReopenWorkspace(Guid WorkspaceId) : ICommand<WorkspaceClosureDto>;

public sealed class ReopenWorkspaceHandler(WorkspaceCloser closer) : ICommandHandler<ReopenWorkspace, WorkspaceClosureDto>
{
    public async ValueTask<WorkspaceClosureDto> Handle(ReopenWorkspace command, CancellationToken cancellationToken) =>
        await closer.ReopenAsync(command.WorkspaceId, cancellationToken);
}

/// <summary>Closed workspaces awaiting their purge, for the platform administrator who may reopen them.</summary>
public sealed record ListClosedWorkspaces : IQuery<ItemsOf<WorkspaceClosureDto>>;

public sealed class ListClosedWorkspacesHandler(IOneInboxDb db) : IQueryHandler<ListClosedWorkspaces, ItemsOf<WorkspaceClosureDto>>
{
    public async ValueTask<ItemsOf<WorkspaceClosureDto>> Handle(ListClosedWorkspaces query, CancellationToken cancellationToken) =>
        new(await db.Workspaces.AsNoTracking().Where(w => w.ClosedAt != null).OrderBy(w => w.PurgeAt)
            .Select(w => new WorkspaceClosureDto(w.Id, w.Name, w.ClosedAt, w.PurgeAt, Array.Empty<string>()))
            .ToListAsync(cancellationToken));
}

/// <summary>
/// Closing and reopening, shared by the Owner's closure, a member's account deletion and the platform administrator.
/// Each runs in a unit of work of the workspace concerned, whoever asks and from whichever workspace.
/// </summary>
public sealed class WorkspaceCloser(IServiceScopeFactory scopes, IMailer mailer, TimeProvider clock)
{
    public async Task<WorkspaceClosureDto> CloseAsync(Guid workspaceId, Guid? by, string why, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateWorkspaceScope(workspaceId);
        var (db, modules) = Services(scope);
        var workspace = await db.Workspaces.FirstAsync(w => w.Id == workspaceId, cancellationToken);
        workspace.Close(by, clock);
        var refused = new List<string>();
        foreach (var connection in await db.ChannelConnections.ToListAsync(cancellationToken))
        {
            try
            {
                await modules.For(connection.Type).RemoveAsync(connection.ToEndpoint(), connection.Mode, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The bot is silent whatever the provider says: deliveries for a closed workspace are refused and nothing is sent.
                connection.RecordError("The webhook could not be removed when the workspace closed.", clock.GetUtcNow());
                refused.Add(connection.Name);
            }
            scope.ServiceProvider.GetRequiredService<InboundAuthCache>().Forget(connection.Id);
        }
        scope.ServiceProvider.GetRequiredService<IAuditLog>().Record("workspace.closed", workspace.Id.ToString(), why, workspace.Id);
        await db.SaveChangesAsync(cancellationToken);
        await TellOwnersAsync(db, workspace, $"Your workspace {workspace.Name} was closed",
            $"The workspace {workspace.Name} was closed on {Day(workspace.ClosedAt!.Value)} ({why}). Its channels were disconnected and nobody can "
            + $"sign in to it. Its data is kept until {Day(workspace.PurgeAt!.Value)}; until then the platform administrator can reopen it. "
            + "After that day everything of the workspace is deleted for good.", cancellationToken);
        return new WorkspaceClosureDto(workspace.Id, workspace.Name, workspace.ClosedAt, workspace.PurgeAt, refused);
    }

    public async Task<WorkspaceClosureDto> ReopenAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateWorkspaceScope(workspaceId);
        var (db, modules) = Services(scope);
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken)
                        ?? throw new NotFoundException("Workspace", workspaceId);
        workspace.Reopen(clock);
        var provisioner = scope.ServiceProvider.GetRequiredService<IChannelProvisioner>();
        var refused = new List<string>();
        foreach (var connection in await db.ChannelConnections.ToListAsync(cancellationToken))
        {
            try
            {
                await modules.For(connection.Type).ApplyModeAsync(connection.ToEndpoint(), provisioner.InboundUrl(connection.Type, connection.Id),
                    connection.Mode, connection.InboundSecret, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                connection.RecordError("The webhook could not be registered again when the workspace reopened; save the channel to retry.", clock.GetUtcNow());
                refused.Add(connection.Name);
            }
        }
        scope.ServiceProvider.GetRequiredService<IAuditLog>().Record("workspace.reopened", workspace.Id.ToString(), null, workspace.Id);
        await db.SaveChangesAsync(cancellationToken);
        await TellOwnersAsync(db, workspace, $"Your workspace {workspace.Name} was reopened",
            $"The workspace {workspace.Name} was reopened on {Day(clock.GetUtcNow())}. Its members can sign in again and its channels are connected.", cancellationToken);
        return new WorkspaceClosureDto(workspace.Id, workspace.Name, null, null, refused);
    }

    private static (IOneInboxDb Db, ChannelModules Modules) Services(AsyncServiceScope scope) =>
        (scope.ServiceProvider.GetRequiredService<IOneInboxDb>(), scope.ServiceProvider.GetRequiredService<ChannelModules>());

    private async Task TellOwnersAsync(IOneInboxDb db, Workspace workspace, string subject, string text, CancellationToken cancellationToken)
    {
        var owners = await db.Members.AsNoTracking().Where(m => m.Role == WorkspaceRole.Owner).Select(m => m.Email).ToListAsync(cancellationToken);
        foreach (var owner in owners)
            await mailer.SendAsync(new OutgoingMail(owner, subject, text), cancellationToken);
    }

    private static string Day(DateTimeOffset at) => at.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
