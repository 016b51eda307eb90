using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Identity;

public sealed record WorkspaceDto(Guid Id, string Name, string Slug, DateTimeOffset CreatedAt);

/// <summary>A platform administrator creates a workspace; its owner is an existing user (the admin by default).</summary>
public sealed record CreateWorkspace(string Name, string? OwnerEmail) : ICommand<WorkspaceDto>;

public sealed class CreateWorkspaceValidator : AbstractValidator<CreateWorkspace>
{
    public CreateWorkspaceValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Workspace.MaxNameLength);
        RuleFor(c => c.OwnerEmail).EmailAddress().When(c => c.OwnerEmail is not null);
    }
}

public sealed class CreateWorkspaceHandler(WorkspaceFounder founder, IUserAccounts accounts, ICurrentUser actor)
    : ICommandHandler<CreateWorkspace, WorkspaceDto>
{
    public async ValueTask<WorkspaceDto> Handle(CreateWorkspace command, CancellationToken cancellationToken)
    {
        var owner = command.OwnerEmail is { } email
            ? await accounts.FindByEmailAsync(email, cancellationToken) ?? throw new NotFoundException("User", email)
            : await accounts.FindByIdAsync(actor.UserId ?? Guid.Empty, cancellationToken) ?? throw new ForbiddenException("Only a user can own a workspace.");
        return await founder.FoundAsync(command.Name, owner, cancellationToken);
    }
}

/// <summary>Creates a workspace with its first owner in one unit of work: used by platform admins, sign-up and bootstrap.</summary>
public sealed class WorkspaceFounder(IOneInboxDb db, IAuditLog audit, TimeProvider clock)
{
    public async Task<WorkspaceDto> FoundAsync(string name, UserAccount owner, CancellationToken cancellationToken)
    {
        var workspace = Workspace.Create(name, clock);
        var slug = workspace.Slug;
        for (var n = 2; await db.Workspaces.AnyAsync(w => w.Slug == slug, cancellationToken); n++)
            slug = $"{workspace.Slug}-{n}";
        workspace.UseSlug(slug);
        db.Workspaces.Add(workspace);
        db.Members.Add(WorkspaceMember.Admit(workspace.Id, owner.Id, WorkspaceRole.Owner, owner.DisplayName, owner.Email, clock));
        audit.Record("workspace.created", workspace.Id.ToString(), workspace.Name, workspace.Id);
        await db.SaveChangesAsync(cancellationToken);
        return new WorkspaceDto(workspace.Id, workspace.Name, workspace.Slug, workspace.CreatedAt);
    }
}

public sealed record GetWorkspace : IQuery<WorkspaceDto>;

public sealed class GetWorkspaceHandler(IOneInboxDb db, WorkspaceContext context) : IQueryHandler<GetWorkspace, WorkspaceDto>
{
    public async ValueTask<WorkspaceDto> Handle(GetWorkspace query, CancellationToken cancellationToken) =>
        await db.Workspaces.AsNoTracking().Where(w => w.Id == context.WorkspaceId)
            .Select(w => new WorkspaceDto(w.Id, w.Name, w.Slug, w.CreatedAt)).FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Workspace", context.WorkspaceId);
}

public sealed record RenameWorkspace(string Name) : ICommand<WorkspaceDto>;

public sealed class RenameWorkspaceValidator : AbstractValidator<RenameWorkspace>
{
    public RenameWorkspaceValidator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(Workspace.MaxNameLength);
}

public sealed class RenameWorkspaceHandler(IOneInboxDb db, WorkspaceContext context, IAuditLog audit) : ICommandHandler<RenameWorkspace, WorkspaceDto>
{
    public async ValueTask<WorkspaceDto> Handle(RenameWorkspace command, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == context.WorkspaceId, cancellationToken)
            ?? throw new NotFoundException("Workspace", context.WorkspaceId);
        workspace.Rename(command.Name);
        audit.Record("workspace.renamed", workspace.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return new WorkspaceDto(workspace.Id, workspace.Name, workspace.Slug, workspace.CreatedAt);
    }
}
