using OneInbox.Domain.Reports;
using OneInbox.Application.Teams;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Expressions;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Activities;

public sealed class SetContactAttributeActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "SetContactAttribute", "Set contact attribute", "Contact", "Stores a value on the contact.", "contact",
        [Input("name", "Attribute", "text", required: true), Input("value", "Value", "template")],
        [Done]);

    public override ActivityStep Compile(NodeInputs inputs) =>
        new Step(inputs.Text("name", required: true) ?? string.Empty, inputs.Template("value"));

    private sealed class Step(string name, CompiledTemplate? value) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var text = value is null ? null : await execution.RenderAsync(value);
            execution.Input("name", name);
            execution.Input("value", text);
            await execution.Actions.SetContactAttributeAsync(name, text, execution.CancellationToken);
            return StepResult.Done;
        }
    }
}

public sealed class AddTagActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "AddTag", "Add tag", "Contact", "Tags the contact.", "tag", [Input("tag", "Tag", "text", required: true)], [Done]);

    public override ActivityStep Compile(NodeInputs inputs) => new TagStep(inputs.Text("tag", required: true) ?? string.Empty, add: true);
}

public sealed class RemoveTagActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "RemoveTag", "Remove tag", "Contact", "Removes a tag from the contact.", "tag-off", [Input("tag", "Tag", "text", required: true)], [Done]);

    public override ActivityStep Compile(NodeInputs inputs) => new TagStep(inputs.Text("tag", required: true) ?? string.Empty, add: false);
}

internal sealed class TagStep(string tag, bool add) : ActivityStep
{
    public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
    {
        execution.Input("tag", tag);
        if (add)
            await execution.Actions.AddTagAsync(tag, execution.CancellationToken);
        else
            await execution.Actions.RemoveTagAsync(tag, execution.CancellationToken);
        return StepResult.Done;
    }
}

public sealed class AssignToTeamActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "AssignToTeam", "Assign to team", "Routing", "Routes the conversation to a team; a member is picked by round robin or least busy among those available.", "team",
        [
            Input("teamId", "Team", "team", required: true),
            Input("strategy", "Pick a member by", "choice", defaultValue: "roundRobin",
                options: [new InputOptionDto("roundRobin", "Round robin"), new InputOptionDto("leastBusy", "Least busy")]),
        ],
        [Done]);

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var team = inputs.Id("teamId", required: true) ?? Guid.Empty;
        var strategy = inputs.Choice("strategy", ["roundRobin", "leastBusy"], "roundRobin") == "leastBusy"
            ? TeamAssignmentStrategy.LeastBusy
            : TeamAssignmentStrategy.RoundRobin;
        return new Step(team, strategy);
    }

    private sealed class Step(Guid teamId, TeamAssignmentStrategy strategy) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            execution.Input("teamId", teamId);
            execution.Input("strategy", strategy.ToString());
            var member = await execution.Actions.AssignToTeamAsync(teamId, strategy, execution.CancellationToken);
            execution.Assignment = member is { } m
                ? $"team {teamId}, member {m}"
                : $"team {teamId}, no agent: no member of the team is online, so it waits in the team's queue";
            return StepResult.Done;
        }
    }
}

public sealed class AssignToAgentActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "AssignToAgent", "Assign to agent", "Routing", "Assigns the conversation to a member.", "agent",
        [Input("userId", "Agent", "agent", required: true)], [Done]);

    public override ActivityStep Compile(NodeInputs inputs) => new Step(inputs.Id("userId", required: true) ?? Guid.Empty);

    private sealed class Step(Guid userId) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            execution.Input("userId", userId);
            await execution.Actions.AssignToAgentAsync(userId, execution.CancellationToken);
            execution.Assignment = $"agent {userId}";
            return StepResult.Done;
        }
    }
}

/// <summary>
/// Gives the conversation to people: the bot stops answering and they see the reason and what the bot
/// collected. With resumeOnRelease the flow waits and continues at 'released' when an agent releases it.
/// </summary>
public sealed class HandOffActivity : Activity
{
    public const string Released = "released";

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "HandOff", "Hand off to a human", "Routing", "Stops the bot and hands the conversation to an agent with a summary.", "handoff",
        [
            Input("reason", "Reason", "template", required: true),
            Input("resumeOnRelease", "Resume when released", "boolean", defaultValue: false),
        ],
        [Released]);

    public override ActivityStep Compile(NodeInputs inputs) =>
        new Step(inputs.Template("reason", required: true), inputs.Bool("resumeOnRelease", false));

    private sealed class Step(CompiledTemplate? reason, bool resumeOnRelease) : ActivityStep
    {
        public override IReadOnlyList<string>? Outcomes { get; } = resumeOnRelease ? [Released] : [];

        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var text = reason is null ? string.Empty : await execution.RenderAsync(reason);
            var summary = string.Join('\n', execution.State.Variables.Where(v => v.Value is not null).Select(v => $"{v.Key}: {Values.Text(v.Value)}"));
            execution.Input("reason", text);
            execution.Input("summary", summary);
            await execution.Actions.HandOffAsync(text, summary, execution.CancellationToken);
            execution.Assignment = "handed off to people";
            execution.HandedOff = FlowHandOff.Step;
            return resumeOnRelease ? StepResult.WaitOn(execution.Wait(BookmarkKind.Release, null)) : StepResult.Stop;
        }

        public override ValueTask<StepResult> ResumeAsync(ActivityExecution execution, Stimulus stimulus, Bookmark bookmark) =>
            ValueTask.FromResult(StepResult.Follow(Released));
    }
}

/// <summary>
/// A button a flow offers ("Ask a person to review this"): the conversation goes to people and a review case opens
/// about the latest significant decision, with the customer's words. The flow ends here.
/// </summary>
public sealed class RequestReviewActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "RequestReview", "Request human review", "Routing",
        "Opens a human review of the bot's latest significant decision and hands the conversation to people.", "handoff",
        [Input("words", "Customer's words", "template", defaultValue: "{{ message.text }}")],
        []);

    public override ActivityStep Compile(NodeInputs inputs) => new Step(inputs.Template("words", required: false));

    private sealed class Step(CompiledTemplate? words) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var text = words is null ? string.Empty : (await execution.RenderAsync(words)).Trim();
            if (text.Length == 0)
                text = "The customer asked for a human review.";
            execution.Input("words", text);
            var reference = await execution.Actions.RequestReviewAsync(text, execution.CancellationToken);
            execution.Input("case", reference);
            execution.Assignment = "handed off to people for review";
            execution.HandedOff = FlowHandOff.Review;
            return StepResult.Stop;
        }
    }
}

/// <summary>
/// A customer exercises a privacy right in a flow: the step asks for confirmation with two buttons; "yes" opens the
/// request for the conversation's contact (tied to the channel identity that answered) and tells them its reference
/// and due date, leaving through 'requested'; anything else leaves through 'cancelled'.
/// </summary>
public sealed class PrivacyRequestActivity : Activity
{
    public const string Requested = "requested";
    public const string Cancelled = "cancelled";
    private const string Yes = "privacy-yes";
    private const string No = "privacy-no";
    private static readonly string[] Types = ["erasure", "access", "portability", "restriction"];

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "PrivacyRequest", "Privacy request", "Routing",
        "Asks the customer to confirm, then opens a privacy request (erasure, access, portability, restriction) due within the workspace's days.", "shield",
        [
            Input("type", "Request", "choice", required: true, options: Options(Types)),
            Input("question", "Confirmation question", "template", hint: "Shown with the buttons Yes and No."),
        ],
        [Requested, Cancelled]);

    public override ActivityStep Compile(NodeInputs inputs) =>
        new Step(inputs.Choice("type", Types, "erasure"), inputs.Template("question"));

    private sealed class Step(string type, CompiledTemplate? question) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var text = question is null ? string.Empty : (await execution.RenderAsync(question)).Trim();
            if (text.Length == 0)
                text = type == "erasure" ? "Do you want us to delete all the data we hold about you? This cannot be undone." : $"Do you want to make a {type} request about your data?";
            execution.Input("type", type);
            execution.Input("question", text);
            await execution.SendAsync(new BotMessage(text, [new BotButton("Yes", Yes), new BotButton("No", No)], null));
            return StepResult.WaitOn(execution.Wait(BookmarkKind.Reply, null));
        }

        public override async ValueTask<StepResult> ResumeAsync(ActivityExecution execution, Stimulus stimulus, Bookmark bookmark)
        {
            var reply = stimulus as MessageStimulus;
            var confirmed = reply?.ButtonPayload == Yes || string.Equals(reply?.Text?.Trim(), "yes", StringComparison.OrdinalIgnoreCase);
            execution.Input("answer", reply?.ButtonPayload ?? reply?.Text);
            if (!confirmed)
                return StepResult.Follow(Cancelled);
            var told = await execution.Actions.RequestPrivacyAsync(type, execution.CancellationToken);
            await execution.SendAsync(new BotMessage(told, [], null));
            return StepResult.Follow(Requested);
        }
    }
}

public sealed class AddNoteActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "AddNote", "Add private note", "Conversation", "Adds a note only agents see.", "note",
        [Input("text", "Note", "template", required: true)], [Done]);

    public override ActivityStep Compile(NodeInputs inputs) => new Step(inputs.Template("text", required: true));

    private sealed class Step(CompiledTemplate? text) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var note = text is null ? string.Empty : await execution.RenderAsync(text);
            execution.Input("text", note);
            await execution.Actions.AddNoteAsync(note, execution.CancellationToken);
            return StepResult.Done;
        }
    }
}

public sealed class SetPriorityActivity : Activity
{
    private static readonly string[] Priorities = ["low", "normal", "high", "urgent"];

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "SetPriority", "Set priority", "Conversation", "Sets the conversation's priority.", "flag",
        [Input("priority", "Priority", "choice", required: true, options: Options(Priorities))], [Done]);

    public override ActivityStep Compile(NodeInputs inputs) => new Step(inputs.Choice("priority", Priorities, "normal"));

    private sealed class Step(string priority) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            execution.Input("priority", priority);
            await execution.Actions.SetPriorityAsync(priority, execution.CancellationToken);
            return StepResult.Done;
        }
    }
}

public sealed class ResolveConversationActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "ResolveConversation", "Resolve conversation", "Conversation", "Marks the conversation resolved.", "check", [], [Done]);

    public override ActivityStep Compile(NodeInputs inputs) => new Step();

    private sealed class Step : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            await execution.Actions.ResolveAsync(execution.CancellationToken);
            return StepResult.Done;
        }
    }
}
