using Mediator;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Channels;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

/// <summary>
/// Plays the channel pipeline's part: sends ReceiveMessage from a scope of its own with the workspace set,
/// as the background processor does, with no HTTP user.
/// </summary>
public sealed class Channel(OneInboxApp app, Guid workspaceId, ChannelType type = ChannelType.Telegram)
{
    private int _next;

    public Guid ConnectionId { get; } = Guid.NewGuid();

    public Task<ReceivedMessage> ReceiveAsync(string senderId, string? text, string? providerId = null, string? name = null, string? editOf = null) =>
        SendAsync(new ReceiveMessage(ConnectionId, type, new InboundMessage(
            providerId ?? $"p-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}",
            new ChannelSender(senderId, name ?? $"Customer {senderId}", null, null, "en"),
            $"chat-{senderId}",
            MessageKind.Text,
            text,
            DateTimeOffset.UtcNow,
            [],
            EditOf: editOf)));

    public async Task<ReceivedMessage> SendAsync(ReceiveMessage command)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }
}
