using Microsoft.AspNetCore.SignalR.Client;
using OneInbox.WebApi.Hubs;

namespace OneInbox.IntegrationTests.Infrastructure;

public static class HubListening
{
    /// <summary>
    /// Starts the connection and returns once the hub says it is in its groups. The handshake completes before that,
    /// so a test that acted straight after StartAsync could change something before anyone listened.
    /// </summary>
    public static async Task StartListeningAsync(this HubConnection connection)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = connection.On<object>(InboxHub.Listening, _ => listening.TrySetResult());
        await connection.StartAsync();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
