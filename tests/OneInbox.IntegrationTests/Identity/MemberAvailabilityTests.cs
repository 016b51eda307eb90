using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Identity;

/// <summary>Members say whether they take new conversations, and automated team routing respects it.</summary>
public class MemberAvailabilityTests(OneInboxApp app) : LiveFlowTest(app)
{
    [Fact]
    public async Task Members_are_online_until_they_say_otherwise_and_the_members_list_shows_what_they_said()
    {
        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);
        Assert.All((await MembersAsync()).EnumerateArray(), m => Assert.Equal("online", m.GetProperty("availability").GetString()));

        var away = await (await ClientFor(agent.Token.AccessToken).PutAsJsonAsync("/api/v1/me/availability", new { availability = "away" })).ReadAsync<JsonElement>();

        Assert.Equal((agent.UserId, "away"), (away.GetProperty("userId").GetGuid(), away.GetProperty("availability").GetString()));
        var members = (await MembersAsync()).EnumerateArray().ToDictionary(m => m.GetProperty("userId").GetGuid(), m => m.GetProperty("availability").GetString());
        Assert.Equal("away", members[agent.UserId]);
        Assert.Equal("online", members[Workspace.Owner.UserId]);
    }

    [Theory]
    [InlineData("busy")]
    [InlineData("1")]
    [InlineData("")]
    public async Task An_unknown_availability_is_a_validation_problem_on_the_field(string value)
    {
        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);

        var problem = await (await ClientFor(agent.Token.AccessToken).PutAsJsonAsync("/api/v1/me/availability", new { availability = value }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("availability", out _), problem.ToString());
        Assert.All((await MembersAsync()).EnumerateArray(), m => Assert.Equal("online", m.GetProperty("availability").GetString()));
    }

    [Fact]
    public async Task The_workspace_hears_when_a_member_goes_away()
    {
        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var colleague = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var heard = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Host.Server.BaseAddress, $"hubs/inbox?access_token={Uri.EscapeDataString(colleague.Token.AccessToken)}"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, ct) => await Host.Server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            })
            .Build();
        hub.On<JsonElement>("member.availability", payload => heard.TrySetResult(payload));
        await hub.StartListeningAsync();

        await (await ClientFor(agent.Token.AccessToken).PutAsJsonAsync("/api/v1/me/availability", new { availability = "offline" })).ReadAsync<JsonElement>();

        var payload = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((agent.UserId, "offline"), (payload.GetProperty("userId").GetGuid(), payload.GetProperty("change").GetString()));
    }

    [Fact]
    public async Task Round_robin_skips_a_team_member_who_is_away()
    {
        var first = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var away = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var third = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var teamId = await TeamAsync("Sales", first.UserId, away.UserId, third.UserId);
        await (await ClientFor(away.Token.AccessToken).PutAsJsonAsync("/api/v1/me/availability", new { availability = "away" })).ReadAsync<JsonElement>();
        await PublishAsync(RouterGraph(teamId, "roundRobin"), "Router");

        var assignees = new List<Guid>();
        foreach (var chat in new[] { 5552000001L, 5552000002L, 5552000003L, 5552000004L })
            assignees.Add(await NewCustomerIsAssignedToAsync(chat, assignees.Count + 1));

        Assert.Equal([first.UserId, third.UserId, first.UserId, third.UserId], assignees);
    }

    [Fact]
    public async Task When_nobody_in_the_team_is_online_the_conversation_waits_in_the_team_queue_and_the_record_says_why()
    {
        var offline = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var away = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var teamId = await TeamAsync("Night shift", offline.UserId, away.UserId);
        await (await ClientFor(offline.Token.AccessToken).PutAsJsonAsync("/api/v1/me/availability", new { availability = "offline" })).ReadAsync<JsonElement>();
        await (await ClientFor(away.Token.AccessToken).PutAsJsonAsync("/api/v1/me/availability", new { availability = "away" })).ReadAsync<JsonElement>();
        await PublishAsync(RouterGraph(teamId, "leastBusy"), "Router");

        await WriteAsync(8001, "hello");

        await WaitForAsync(async () => (await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>()).GetProperty("items")
            .EnumerateArray().Any(c => c.GetProperty("teamId").ValueKind == JsonValueKind.String), "the team assignment");
        var conversation = await ConversationAsync();
        Assert.Equal(teamId, conversation.GetProperty("teamId").GetGuid());
        Assert.Equal(JsonValueKind.Null, conversation.GetProperty("assigneeId").ValueKind);
        var conversationId = conversation.GetProperty("id").GetGuid();
        await WaitForAsync(async () => (await InstanceAsync(conversationId)).GetProperty("status").GetString() == "completed", "the flow to finish");
        var route = Assert.Single((await InstanceAsync(conversationId)).GetProperty("journal").EnumerateArray());
        Assert.Contains("no member of the team is online", route.GetProperty("assignment").GetString(), StringComparison.Ordinal);
        var messages = await (await Admin.GetAsync($"/api/v1/conversations/{conversationId}/messages?limit=100")).ReadAsync<JsonElement>();
        Assert.Contains(messages.GetProperty("items").EnumerateArray(), m => m.GetProperty("isPrivate").GetBoolean()
            && m.GetProperty("text").GetString() == "No member of Night shift is online; the conversation waits in the team's queue.");
    }

    private async Task<JsonElement> MembersAsync() =>
        (await (await Admin.GetAsync("/api/v1/members")).ReadAsync<JsonElement>()).GetProperty("items");

    private async Task<Guid> TeamAsync(string name, params Guid[] memberIds) =>
        (await (await Admin.PostJsonAsync("/api/v1/teams", new { name, memberIds })).ReadAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static JsonNode RouterGraph(Guid teamId, string strategy) => JsonNode.Parse($$$"""
        {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"route",
         "nodes":[{"id":"route","type":"AssignToTeam","typeVersion":1,"inputs":{"teamId":"{{{teamId}}}","strategy":"{{{strategy}}}"}}],"edges":[]}
        """)!;

    /// <summary>A new customer (chat) writes; returns the member the router gave the conversation to.</summary>
    private async Task<Guid> NewCustomerIsAssignedToAsync(long chat, int assignedSoFar)
    {
        var update = MessageUpdate(1, "hello").Replace("\"update_id\": 0", $"\"update_id\": {NextUpdateId()}", StringComparison.Ordinal)
            .Replace(ChatId, chat.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await PostUpdateAsync(TelegramConnection.Connection.Id, update, TelegramConnection.InboundSecret);
        List<JsonElement> assigned = [];
        await WaitForAsync(async () =>
        {
            var page = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>();
            assigned = page.GetProperty("items").EnumerateArray().Where(c => c.GetProperty("assigneeId").ValueKind == JsonValueKind.String).ToList();
            return assigned.Count == assignedSoFar;
        }, "the assignment");
        return assigned.OrderByDescending(c => c.GetProperty("createdAt").GetDateTimeOffset()).First().GetProperty("assigneeId").GetGuid();
    }
}
