using FluentValidation;
using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Flows;

/// <summary>Starts a simulated conversation on the flow's draft.</summary>
public sealed record StartTestRun(Guid FlowId, string? ContactName, string? Channel) : ICommand<TestRunDto>;

public sealed class StartTestRunValidator : AbstractValidator<StartTestRun>
{
    public StartTestRunValidator()
    {
        RuleFor(c => c.ContactName).MaximumLength(200);
        RuleFor(c => c.Channel).MaximumLength(40);
    }
}

public sealed class StartTestRunHandler(IOneInboxDb db, IFlowTestRuns testRuns, WorkspaceContext workspace) : ICommandHandler<StartTestRun, TestRunDto>
{
    public async ValueTask<TestRunDto> Handle(StartTestRun command, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(command.FlowId, cancellationToken);
        return await testRuns.StartAsync(workspace.WorkspaceId, flow.Id, flow.DraftGraph, command.ContactName, command.Channel, cancellationToken);
    }
}

/// <summary>The simulated customer writes (or taps a button) in a test run.</summary>
public sealed record SendTestRunMessage(Guid FlowId, Guid RunId, string? Text, string? ButtonPayload) : ICommand<TestRunDto>;

public sealed class SendTestRunMessageValidator : AbstractValidator<SendTestRunMessage>
{
    public SendTestRunMessageValidator()
    {
        RuleFor(c => c.Text).NotEmpty().When(c => c.ButtonPayload is null).WithMessage("Send a text or a button payload.");
        RuleFor(c => c.Text).MaximumLength(4096);
        RuleFor(c => c.ButtonPayload).MaximumLength(256);
    }
}

public sealed class SendTestRunMessageHandler(IFlowTestRuns testRuns, WorkspaceContext workspace) : ICommandHandler<SendTestRunMessage, TestRunDto>
{
    public async ValueTask<TestRunDto> Handle(SendTestRunMessage command, CancellationToken cancellationToken) =>
        await testRuns.SendAsync(workspace.WorkspaceId, command.FlowId, command.RunId, command.Text, command.ButtonPayload, cancellationToken);
}
