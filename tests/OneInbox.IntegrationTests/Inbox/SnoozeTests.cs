using System.Net.Http.Json;
using System.Text.Json;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class SnoozeTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_snoozed_conversation_is_open_again_when_its_time_comes()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("2002", "Call me back tomorrow", name: "Bo");
        var url = $"/api/v1/conversations/{received.ConversationId}";

        var snoozed = await (await agent.Client.PutAsJsonAsync(url + "/status",
            new { status = "snoozed", snoozedUntil = DateTimeOffset.UtcNow.AddSeconds(2) }, JsonSerializerOptions.Web)).ReadAsync<JsonElement>();
        Assert.Equal("snoozed", snoozed.GetProperty("status").GetString());

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        string? status;
        do
        {
            await Task.Delay(250);
            status = (await (await agent.Client.GetAsync(url)).ReadAsync<JsonElement>()).GetProperty("status").GetString();
        }
        while (status == "snoozed" && TimeProvider.System.GetUtcNow() < deadline);

        Assert.Equal("open", status);
    }
}
