using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneInbox.Application.Channels;
using OneInbox.Application.Retention;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Channels;
using OneInbox.IntegrationTests.Inbox;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;

namespace OneInbox.IntegrationTests.Lifecycle;

/// <summary>
/// An Owner closes a workspace with a live Telegram bot: access ends at once for members and integration clients,
/// the webhook is removed at the fake Telegram, deliveries are refused and nothing is sent; a platform administrator
/// reopens it and everything comes back; past the 90 days, the nightly run leaves nothing of it in any table or folder.
/// Confirmations arrive at a loopback SMTP server.
/// </summary>
public sealed class WorkspaceClosureTests(OneInboxApp app) : ChannelTest(app)
{
    private const string CustomerWrites = """
        { "update_id": 900000001,
          "message": { "message_id": 11, "from": { "id": 5550002222, "is_bot": false, "first_name": "Greta" },
            "chat": { "id": 5550002222, "first_name": "Greta", "type": "private" }, "date": 1767225600, "text": "Is my order on its way?" } }
        """;

    private readonly FakeSmtpServer _smtp = FakeSmtpServer.Start();

    protected override void ConfigureHost(IWebHostBuilder host)
    {
        host.UseSetting("OneInbox:Mail:SmtpHost", "127.0.0.1");
        host.UseSetting("OneInbox:Mail:SmtpPort", _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        host.UseSetting("OneInbox:Mail:UseTls", "false");
    }

    public override async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Closing_ends_access_at_once_silences_the_bot_and_a_platform_admin_reopens_it_with_everything_back()
    {
        var created = await CreateTelegramAsync();
        Assert.NotNull(Telegram.WebhookUrl);
        var integration = await (await Admin.PostJsonAsync("/api/v1/integration-clients", new { name = "Shop sync", role = "agent" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var clientToken = await ClientTokenAsync(integration);
        Assert.Equal(HttpStatusCode.OK, (await ClientFor(clientToken).GetAsync("/api/v1/conversations")).StatusCode);

        var admin = await Workspace.MemberAsync(WorkspaceRole.Admin);
        await (await ClientFor(admin.Token.AccessToken).PostJsonAsync("/api/v1/workspace/close", new { confirmName = "Acme" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await Admin.PostJsonAsync("/api/v1/workspace/close", new { confirmName = "Acne" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var closed = await (await Admin.PostJsonAsync("/api/v1/workspace/close", new { confirmName = "acme" })).ReadAsync<JsonElement>();
        var closedAt = closed.GetProperty("closedAt").GetDateTimeOffset();
        Assert.Equal(closedAt.AddDays(90), closed.GetProperty("purgeAt").GetDateTimeOffset());

        // The provider stops delivering: the webhook was removed.
        await Telegram.WaitForCallAsync("deleteWebhook");
        Assert.Null(Telegram.WebhookUrl);
        // Access ends with the next request: the owner's token, another member's, the integration client's, and new sign-ins.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Admin.GetAsync("/api/v1/workspace")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientFor(admin.Token.AccessToken).GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientFor(clientToken).GetAsync("/api/v1/conversations")).StatusCode);
        Assert.False((await App.CreateClient().PostAsync("/connect/token", ClientForm(integration))).IsSuccessStatusCode);
        Assert.False((await App.CreateClient().PostAsync("/connect/token", TestIdentity.PasswordForm(Workspace.Owner.Email, Workspace.Owner.Password, Workspace.Id))).IsSuccessStatusCode);
        // A late delivery is refused as for an unknown connection, and nothing is stored.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostUpdateAsync(created.Connection.Id, CustomerWrites, created.InboundSecret)).StatusCode);
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = '{created.Connection.Id}'"));
        // Nothing goes out in its name: a reply queued before the bot noticed waits.
        await QueueReplyAsync(created.Connection.Id, new OutboundMessage(Guid.NewGuid(), "5550002222", MessageKind.Text, "Your parcel left today", [], []));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(Telegram.CallsTo("sendMessage"));

        var mail = await _smtp.WaitForMailAsync(m => m.Subject.Contains("was closed", StringComparison.Ordinal));
        Assert.Equal([Workspace.Owner.Email], mail.To);
        Assert.Contains(closedAt.AddDays(90).ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture), mail.Raw.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);

        // A platform administrator sees it among the closed workspaces and reopens it; an Owner may not.
        var platform = await PlatformAdminAsync();
        var list = await (await platform.GetAsync("/api/v1/workspaces/closed")).ReadAsync<JsonElement>();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), w => w.GetProperty("id").GetGuid() == Workspace.Id);
        var other = await App.CreateWorkspaceAsync("Globex");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Owner.Client.PostAsync($"/api/v1/workspaces/{Workspace.Id}/reopen", null)).StatusCode);
        var reopened = await (await platform.PostAsync($"/api/v1/workspaces/{Workspace.Id}/reopen", null)).ReadAsync<JsonElement>();
        Assert.Empty(reopened.GetProperty("channelsLeftConnected").EnumerateArray());

        // Everything is back: the webhook with its secret, the same tokens, the waiting reply, deliveries.
        await WaitForAsync(() => Task.FromResult(Telegram.WebhookUrl is not null), "the webhook registered again");
        Assert.Equal(created.InboundUrl, Telegram.WebhookUrl);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync("/api/v1/workspace")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientFor(clientToken).GetAsync("/api/v1/conversations")).StatusCode);
        var sent = await Telegram.WaitForCallAsync("sendMessage");
        Assert.Equal("Your parcel left today", sent.Text("text"));
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(created.Connection.Id, CustomerWrites, created.InboundSecret)).StatusCode);
        await _smtp.WaitForMailAsync(m => m.Subject.Contains("was reopened", StringComparison.Ordinal));

        foreach (var action in new[] { "workspace.closed", "workspace.reopened" })
        {
            var audit = await (await Admin.GetAsync($"/api/v1/audit-events?action={action}")).ReadAsync<JsonElement>();
            Assert.Single(audit.GetProperty("items").EnumerateArray());
        }
    }

    [Fact]
    public async Task Past_its_ninety_days_a_closed_workspace_leaves_nothing_in_any_table_or_folder_and_others_keep_theirs()
    {
        var created = await CreateTelegramAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(created.Connection.Id, CustomerWrites, created.InboundSecret)).StatusCode);
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"Messages\" WHERE \"WorkspaceId\" = '{Workspace.Id}'") == 1, "the customer's message");
        var conversationId = Guid.Parse((await ScalarAsync($"SELECT \"Id\" FROM \"Conversations\" WHERE \"WorkspaceId\" = '{Workspace.Id}'"))!);
        var contactId = Guid.Parse((await ScalarAsync($"SELECT \"ContactId\" FROM \"Conversations\" WHERE \"Id\" = '{conversationId}'"))!);
        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var upload = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        upload.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var file = await (await ClientFor(agent.Token.AccessToken).PostAsync("/api/v1/attachments?fileName=label.png", upload)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        (await ClientFor(agent.Token.AccessToken).PostJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { text = "Here is your label", attachmentIds = new[] { file.GetProperty("id").GetGuid() } })).EnsureSuccessStatusCode();
        (await Admin.PostJsonAsync($"/api/v1/contacts/{contactId}/notes", new { text = "Prefers mornings" })).EnsureSuccessStatusCode();
        var workspaceFolder = Path.Combine(App.DataPath, "attachments", Workspace.Id.ToString("N"));
        var keyFile = Path.Combine(App.DataPath, "keys", "contacts", contactId.ToString("N")[^2..], contactId.ToString("N") + ".key");
        Assert.True(Directory.Exists(workspaceFolder));
        Assert.True(File.Exists(keyFile));

        var globex = await App.CreateWorkspaceAsync("Globex");
        (await Admin.PostJsonAsync("/api/v1/workspace/close", new { confirmName = "Acme" })).EnsureSuccessStatusCode();
        Assert.True(await RowsOfAsync(Workspace.Id) > 10);

        // Day 91: the grace period is over, and the nightly run comes.
        await App.ExecuteAsync($"UPDATE \"Workspaces\" SET \"PurgeAt\" = now() - interval '1 minute' WHERE \"Id\" = '{Workspace.Id}'");
        await Host.Services.GetRequiredService<IRetentionPurge>().PurgeAllAsync(CancellationToken.None);

        Assert.Equal(0, await RowsOfAsync(Workspace.Id));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM \"Workspaces\" WHERE \"Id\" = '{Workspace.Id}'"));
        Assert.False(Directory.Exists(workspaceFolder));
        Assert.False(File.Exists(keyFile));
        // The people keep their accounts; another workspace keeps everything.
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM \"AspNetUsers\" WHERE \"Id\" = '{Workspace.Owner.UserId}'"));
        Assert.True(await RowsOfAsync(globex.Id) > 0);
        Assert.Equal(HttpStatusCode.OK, (await globex.Owner.Client.GetAsync("/api/v1/workspace")).StatusCode);
    }

    /// <summary>Rows carrying the workspace's id, over every table that has a WorkspaceId column (found, not listed).</summary>
    private async Task<long> RowsOfAsync(Guid workspaceId)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var find = new NpgsqlCommand("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'WorkspaceId'", connection))
        await using (var reader = await find.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }
        Assert.True(tables.Count > 25, $"only {tables.Count} tables have a WorkspaceId column");
        long total = 0;
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" WHERE \"WorkspaceId\" = '{workspaceId}'", connection);
            total += (long)(await count.ExecuteScalarAsync())!;
        }
        return total;
    }

    private async Task<HttpClient> PlatformAdminAsync()
    {
        var email = $"platform-{Guid.NewGuid():N}@example.test";
        await using (var scope = App.Services.CreateAsyncScope())
            await TestIdentity.NewAccountAsync(scope.ServiceProvider, email, TestWorkspace.Password, "Platform", platformAdmin: true);
        var token = await App.PasswordGrantAsync(email, TestWorkspace.Password);
        return ClientFor(token.AccessToken);
    }

    private static FormUrlEncodedContent ClientForm(JsonElement client) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = client.GetProperty("clientId").GetString()!,
        ["client_secret"] = client.GetProperty("clientSecret").GetString()!,
        ["scope"] = "api",
    });

    private async Task<string> ClientTokenAsync(JsonElement client)
    {
        var response = await App.CreateClient().PostAsync("/connect/token", ClientForm(client));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
