using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Conversations;
using OneInbox.Application.Flows;
using OneInbox.Application.Identity;
using OneInbox.Application.Teams;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

/// <summary>
/// The reviewer's decision. Upheld: the decision stands, with the reason. Overturned: the reason and the corrective
/// actions, applied to the conversation and contact by the same rules as the inbox's (the actions port flows and the
/// API share); a reference to a team or member not of this workspace refuses the whole decision. The customer is told
/// the outcome in the workspace's words, and the case keeps what was sent.
/// </summary>
public sealed record DecideReviewCase(Guid CaseId, ReviewStatus Outcome, string Reason, IReadOnlyList<ReviewAction>? Actions) : ICommand<ReviewCaseDto>;

public sealed class DecideReviewCaseValidator : AbstractValidator<DecideReviewCase>
{
    public static readonly string[] ActionTypes = ["reassignTeam", "assignAgent", "handOff", "setAttribute", "clearAttribute", "addTag", "removeTag", "sendMessage", "restartFlow"];

    public DecideReviewCaseValidator()
    {
        RuleFor(c => c.Outcome).Must(o => o is ReviewStatus.Upheld or ReviewStatus.Overturned).WithMessage("The outcome is upheld or overturned.");
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(ReviewCase.MaxReasonLength).WithMessage($"Give the reason (1 to {ReviewCase.MaxReasonLength} characters): the customer reads it.");
        RuleFor(c => c.Actions).Must(a => a is null || a.Count <= 10).WithMessage("At most 10 corrective actions.");
        RuleForEach(c => c.Actions).ChildRules(action =>
        {
            action.RuleFor(a => a.Type).Must(t => ActionTypes.Contains(t)).WithMessage($"An action's type is one of {string.Join(", ", ActionTypes)}.");
            action.RuleFor(a => a.TeamId).NotEmpty().When(a => a.Type == "reassignTeam").WithMessage("reassignTeam names the team (teamId).");
            action.RuleFor(a => a.MemberId).NotEmpty().When(a => a.Type == "assignAgent").WithMessage("assignAgent names the member (memberId).");
            action.RuleFor(a => a.Key).NotEmpty().MaximumLength(100).When(a => a.Type is "setAttribute" or "clearAttribute").WithMessage("The attribute's key is required.");
            action.RuleFor(a => a.Value).NotEmpty().MaximumLength(1000).When(a => a.Type == "setAttribute").WithMessage("setAttribute needs a value.");
            action.RuleFor(a => a.Tag).NotEmpty().MaximumLength(100).When(a => a.Type is "addTag" or "removeTag").WithMessage("The tag is required.");
            action.RuleFor(a => a.Text).NotEmpty().MaximumLength(Message.MaxTextLength).When(a => a.Type == "sendMessage" && a.Template is null)
                .WithMessage("sendMessage needs the text, or an approved template.");
            action.RuleFor(a => a.Template!.Name).NotEmpty().When(a => a.Template is not null).WithMessage("The template's name is required.");
            action.RuleFor(a => a.Template!.Language).NotEmpty().When(a => a.Template is not null).WithMessage("The template's language is required.");
            action.RuleFor(a => a.NodeId).NotEmpty().MaximumLength(200).When(a => a.Type == "restartFlow").WithMessage("restartFlow names the node to run from (nodeId).");
        });
    }
}

public sealed class DecideReviewCaseHandler(
    IOneInboxDb db, IFlowConversations conversations, IFlowStarter starter, ReviewIntake intake, ICurrentUser user, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<DecideReviewCase, ReviewCaseDto>
{
    public const string ReopenReason = "A reviewer overturned an automated decision; a person takes over.";

    public async ValueTask<ReviewCaseDto> Handle(DecideReviewCase command, CancellationToken cancellationToken)
    {
        var review = await db.GetReviewCaseAsync(command.CaseId, cancellationToken);
        if (!review.IsOpen)
            throw new ConflictException("review.closed", $"This case is decided already ({review.Status}).");
        var reviewer = user.UserId ?? throw new ForbiddenException("A case is decided by a person signed in, not an integration.");
        var opened = await conversations.OpenAsync(review.ConversationId, $"{ReviewIntake.ReviewRef}:{review.Reference()}", cancellationToken);
        var applied = new List<ReviewAction>();
        foreach (var action in command.Actions ?? [])
            applied.Add(action with { Result = await ApplyAsync(review, action, opened.Actions, cancellationToken) });
        review.Decide(command.Outcome, command.Reason, applied, reviewer, clock);

        var settings = await db.GetReviewSettingsAsync(cancellationToken);
        await intake.TellAsync(review, opened.Actions, command.Outcome == ReviewStatus.Upheld ? settings.UpheldMessage : settings.OverturnedMessage, cancellationToken);
        audit.Record($"review.{command.Outcome.ToString().ToLowerInvariant()}", review.Id.ToString(), string.Join(", ", applied.Select(a => a.Type)));
        await db.SaveChangesAsync(cancellationToken);
        return await db.ToDtoAsync(review, clock.GetUtcNow(), cancellationToken);
    }

    private async Task<string> ApplyAsync(Domain.Reviews.ReviewCase review, ReviewAction action, IConversationActions actions, CancellationToken cancellationToken)
    {
        try
        {
            switch (action.Type)
            {
                case "reassignTeam":
                    var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == action.TeamId, cancellationToken)
                        ?? throw new NotFoundException("Team", action.TeamId!);
                    var member = await actions.AssignToTeamAsync(team.Id, TeamAssignmentStrategy.RoundRobin, cancellationToken);
                    return member is null ? $"moved to team {team.Name}" : $"moved to team {team.Name}, assigned to {await NameAsync(member.Value, cancellationToken)}";
                case "assignAgent":
                    await actions.AssignToAgentAsync(action.MemberId!.Value, cancellationToken);
                    return $"assigned to {await NameAsync(action.MemberId.Value, cancellationToken)}";
                case "handOff":
                    var conversation = await db.Conversations.FindAsync([review.ConversationId], cancellationToken)
                        ?? throw new NotFoundException("Conversation", review.ConversationId);
                    if (conversation.Status != ConversationStatus.Open)
                        db.Record(conversation.ChangeStatus(ConversationStatus.Open, null, user.UserId, clock));
                    await actions.HandOffAsync(ReopenReason, $"Review case {review.Reference()}", cancellationToken);
                    return "reopened and handed to people";
                case "setAttribute":
                    await actions.SetContactAttributeAsync(action.Key!, action.Value, cancellationToken);
                    return $"attribute {action.Key} set";
                case "clearAttribute":
                    await actions.SetContactAttributeAsync(action.Key!, null, cancellationToken);
                    return $"attribute {action.Key} cleared";
                case "addTag":
                    await actions.AddTagAsync(action.Tag!, cancellationToken);
                    return $"tag {action.Tag} added";
                case "removeTag":
                    await actions.RemoveTagAsync(action.Tag!, cancellationToken);
                    return $"tag {action.Tag} removed";
                case "sendMessage" when action.Template is { } template:
                    var shown = await actions.SendTemplateAsync(template.Name, template.Language, template.Parameters ?? [], cancellationToken);
                    return $"template {template.Name} sent: {shown}";
                case "sendMessage":
                    await actions.SendMessageAsync(new BotMessage(action.Text!, [], null), cancellationToken);
                    return "message sent";
                case "restartFlow":
                    return await RestartAsync(review, action.NodeId!, cancellationToken);
                default:
                    throw new UnprocessableException("review.action", $"'{action.Type}' is not a corrective action.");
            }
        }
        catch (NotFoundException e)
        {
            throw new UnprocessableException("review.action", $"The {action.Type} action cannot be applied: {e.Message} Nothing was decided.");
        }
    }

    /// <summary>The contested flow version runs again from the node the reviewer chose, and the bot has the conversation back.</summary>
    private async Task<string> RestartAsync(Domain.Reviews.ReviewCase review, string nodeId, CancellationToken cancellationToken)
    {
        var contested = review.InstanceId is { } instanceId
            ? await db.FlowInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken)
            : null;
        if (contested is null)
            throw new UnprocessableException("review.action", "This case names no flow run to restart. Nothing was decided.");
        if (await db.FlowInstances.AnyAsync(i => i.ConversationId == review.ConversationId
                && (i.Status == Domain.Flows.FlowInstanceStatus.Running || i.Status == Domain.Flows.FlowInstanceStatus.Waiting || i.Status == Domain.Flows.FlowInstanceStatus.Faulted), cancellationToken))
            throw new UnprocessableException("review.action", "A flow is already active on this conversation: cancel it before restarting one. Nothing was decided.");
        var version = await db.FlowVersions.FirstAsync(v => v.Id == contested.FlowVersionId, cancellationToken);
        if (!FlowGraph.TryParse(version.Graph, out var graph, out _) || graph.Nodes?.Any(n => n?.Id == nodeId) != true)
            throw new UnprocessableException("review.action", $"Version {version.Version} of the flow has no node '{nodeId}'. Nothing was decided.");
        var conversation = await db.Conversations.FindAsync([review.ConversationId], cancellationToken)
            ?? throw new NotFoundException("Conversation", review.ConversationId);
        if (conversation.IsHandedOff)
            db.Record(conversation.Release(user.UserId, clock));
        _ = await starter.StartAsync(version, review.ConversationId, nodeId, cancellationToken)
            ?? throw new UnprocessableException("review.action", "The contact restricted processing of their data: automation does not run for them. Nothing was decided.");
        return $"flow v{version.Version} restarted from {nodeId}";
    }

    private async Task<string> NameAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Members.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? userId.ToString();
}
