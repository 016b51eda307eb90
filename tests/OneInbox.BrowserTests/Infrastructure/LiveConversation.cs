using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Teams;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Instances;
using OneInbox.Workflows.Runtime;

namespace OneInbox.BrowserTests.Infrastructure;

/// <summary>
/// Runs a published flow for a conversation the way the inbox does: the engine's executor in a unit of work of
/// the workspace, persisting the instance, its state and journal. The conversation itself is a port (channels
/// are not part of these tests), so it only records what the bot did.
/// </summary>
public sealed class LiveConversation(StudioServer server, Guid workspaceId) : IConversationActions
{
    public Guid ConversationId { get; } = Guid.NewGuid();

    public List<string> Sent { get; } = [];

    public async Task<Guid> StartAsync(Guid flowId) =>
        await InWorkspaceAsync(async (services, db) =>
        {
            var flow = await db.Flows.SingleAsync(f => f.Id == flowId);
            var version = await db.FlowVersions.SingleAsync(v => v.FlowId == flowId && v.Version == flow.PublishedVersion);
            var (instance, _) = await services.GetRequiredService<FlowExecutor>()
                .StartAsync(version, new FlowRunContext(this) { ConversationId = ConversationId }, null, CancellationToken.None);
            return instance.Id;
        });

    /// <summary>The customer taps a button (or writes) while the instance waits.</summary>
    public async Task ReplyAsync(Guid instanceId, string? text, string? buttonPayload) =>
        await InWorkspaceAsync(async (services, db) =>
        {
            var instance = await db.FlowInstances.SingleAsync(i => i.Id == instanceId);
            var version = await db.FlowVersions.SingleAsync(v => v.Id == instance.FlowVersionId);
            var result = await services.GetRequiredService<FlowExecutor>()
                .ResumeAsync(instance, version, new FlowRunContext(this) { ConversationId = ConversationId }, new MessageStimulus(text, buttonPayload), CancellationToken.None);
            Assert.True(result.Resumed);
            return instanceId;
        });

    private async Task<Guid> InWorkspaceAsync(Func<IServiceProvider, IOneInboxDb, Task<Guid>> work)
    {
        await using var scope = server.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
        var id = await work(scope.ServiceProvider, db);
        await db.SaveChangesAsync(CancellationToken.None);
        return id;
    }

    public ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken)
    {
        Sent.Add(message.Text);
        return ValueTask.CompletedTask;
    }

    public ValueTask<string> SendTemplateAsync(string name, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        Sent.Add($"template {name}");
        return ValueTask.FromResult(name);
    }

    public ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken) => ValueTask.FromResult<Guid?>(null);

    public ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask AddNoteAsync(string text, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SetPriorityAsync(string priority, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ResolveAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SetContactAttributeAsync(string name, string? value, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask AddTagAsync(string tag, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
