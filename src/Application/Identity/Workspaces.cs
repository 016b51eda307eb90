using System.Globalization;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Identity;

/// <param name="OpenNow">Whether the business hours say the workspace is open at the moment of the answer.</param>
public sealed record WorkspaceDto(Guid Id, string Name, string Slug, DateTimeOffset CreatedAt, string TimeZone, BusinessHoursDto BusinessHours, bool OpenNow)
{
    internal static WorkspaceDto From(Workspace workspace, TimeProvider clock) =>
        new(workspace.Id, workspace.Name, workspace.Slug, workspace.CreatedAt, workspace.TimeZone,
            BusinessHoursDto.From(workspace.BusinessHours), workspace.Calendar.IsOpen(clock.GetUtcNow()));
}

/// <param name="Weekly">Opening hours per day: a day may have several (a lunch break splits it in two).</param>
/// <param name="Holidays">Dates (yyyy-MM-dd) the business is closed all day.</param>
public sealed record BusinessHoursDto(IReadOnlyList<OpeningHoursDto> Weekly, IReadOnlyList<string> Holidays)
{
    internal static BusinessHoursDto From(BusinessHours hours) => new(
        [.. hours.Weekly.Select(w => new OpeningHoursDto(w.Day.ToString().ToLowerInvariant(), Clock(w.Open), Clock(w.Close)))],
        [.. hours.Holidays.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);

    internal BusinessHours ToHours() => BusinessHours.Create(
        Weekly.Select(w => new OpeningHours(Enum.Parse<DayOfWeek>(w.Day, ignoreCase: true), ParseClock(w.Open)!.Value, ParseClock(w.Close)!.Value)),
        Holidays.Select(h => ParseDate(h)!.Value));

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    internal static TimeOnly? ParseClock(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    internal static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}

/// <param name="Day">monday … sunday.</param>
/// <param name="Open">HH:mm, local time in the workspace's time zone.</param>
/// <param name="Close">HH:mm, after <paramref name="Open"/>; the business is closed from this minute.</param>
public sealed record OpeningHoursDto(string Day, string Open, string Close);

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
        return WorkspaceDto.From(workspace, clock);
    }
}

public sealed record GetWorkspace : IQuery<WorkspaceDto>;

public sealed class GetWorkspaceHandler(IOneInboxDb db, WorkspaceContext context, TimeProvider clock) : IQueryHandler<GetWorkspace, WorkspaceDto>
{
    public async ValueTask<WorkspaceDto> Handle(GetWorkspace query, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == context.WorkspaceId, cancellationToken)
            ?? throw new NotFoundException("Workspace", context.WorkspaceId);
        return WorkspaceDto.From(workspace, clock);
    }
}

/// <summary>Changes the workspace's name, time zone or business hours; what is left out stays as it is.</summary>
public sealed record UpdateWorkspace(string? Name, string? TimeZone, BusinessHoursDto? BusinessHours) : ICommand<WorkspaceDto>;

public sealed class UpdateWorkspaceValidator : AbstractValidator<UpdateWorkspace>
{
    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public UpdateWorkspaceValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Workspace.MaxNameLength).When(c => c.Name is not null);
        RuleFor(c => c.TimeZone!)
            .Must(zone => BusinessHours.TryFindZone(zone, out _))
            .WithMessage(c => $"Time zone '{c.TimeZone}' is unknown; use an IANA name such as Europe/Berlin.")
            .When(c => c.TimeZone is not null);
        When(c => c.BusinessHours is not null, () =>
        {
            RuleFor(c => c.BusinessHours!.Weekly).NotNull().Must(w => w is null || w.Count <= BusinessHours.MaxSlots)
                .WithMessage($"A week has at most {BusinessHours.MaxSlots} opening hours.");
            RuleForEach(c => c.BusinessHours!.Weekly).ChildRules(slot =>
            {
                slot.RuleFor(s => s.Day).Must(d => Days.Contains(d?.ToLowerInvariant())).WithMessage("The day is monday … sunday.");
                slot.RuleFor(s => s.Open).Must(t => BusinessHoursDto.ParseClock(t) is not null).WithMessage("Opening time is HH:mm, e.g. 09:00.");
                slot.RuleFor(s => s.Close).Must(t => BusinessHoursDto.ParseClock(t) is not null).WithMessage("Closing time is HH:mm, e.g. 17:30.");
                slot.RuleFor(s => s).Must(s => BusinessHoursDto.ParseClock(s.Close) > BusinessHoursDto.ParseClock(s.Open))
                    .When(s => BusinessHoursDto.ParseClock(s.Open) is not null && BusinessHoursDto.ParseClock(s.Close) is not null)
                    .WithName("close").WithMessage("Closing time must be after the opening time.");
            });
            RuleFor(c => c.BusinessHours!.Holidays).NotNull().Must(h => h is null || h.Count <= BusinessHours.MaxHolidays)
                .WithMessage($"A calendar has at most {BusinessHours.MaxHolidays} closed dates.");
            RuleForEach(c => c.BusinessHours!.Holidays).Must(h => BusinessHoursDto.ParseDate(h) is not null)
                .WithMessage("Closed dates are yyyy-MM-dd, e.g. 2026-12-25.");
        });
    }
}

public sealed class UpdateWorkspaceHandler(IOneInboxDb db, WorkspaceContext context, IAuditLog audit, TimeProvider clock) : ICommandHandler<UpdateWorkspace, WorkspaceDto>
{
    public async ValueTask<WorkspaceDto> Handle(UpdateWorkspace command, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == context.WorkspaceId, cancellationToken)
            ?? throw new NotFoundException("Workspace", context.WorkspaceId);
        if (command.Name is { } name && name.Trim() != workspace.Name)
        {
            workspace.Rename(name);
            audit.Record("workspace.renamed", workspace.Id.ToString());
        }
        if (command.TimeZone is not null || command.BusinessHours is not null)
        {
            workspace.ChangeHours(command.TimeZone ?? workspace.TimeZone, command.BusinessHours?.ToHours() ?? workspace.BusinessHours);
            audit.Record("workspace.hours_changed", workspace.Id.ToString(), workspace.TimeZone);
        }
        await db.SaveChangesAsync(cancellationToken);
        return WorkspaceDto.From(workspace, clock);
    }
}
