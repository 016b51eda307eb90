using System.Net;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

public sealed class ChannelConnectionApiTests(OneInboxApp app) : ChannelTest(app)
{
    [Fact]
    public async Task Connecting_a_telegram_bot_registers_the_webhook_with_the_secret_shown_once()
    {
        var created = await CreateTelegramAsync();

        Assert.Equal($"{PublicBaseUrl}webhooks/telegram/{created.Connection.Id}", created.InboundUrl);
        Assert.Equal(created.InboundUrl, Telegram.WebhookUrl);
        Assert.Equal(created.InboundSecret, Telegram.WebhookSecret);
        Assert.True(created.InboundSecret.Length >= 40);
    }

    [Fact]
    public async Task Credentials_and_secrets_never_come_back_and_are_not_stored_in_plain_text()
    {
        var created = await CreateTelegramAsync();

        var single = await (await Admin.GetAsync($"/api/v1/channels/{created.Connection.Id}")).Content.ReadAsStringAsync();
        var list = await (await Admin.GetAsync("/api/v1/channels")).Content.ReadAsStringAsync();
        var storedCredentials = await ScalarAsync("SELECT \"Credentials\" || \"InboundSecret\" FROM \"ChannelConnections\"");

        foreach (var shown in new[] { single, list, storedCredentials! })
        {
            Assert.DoesNotContain(Telegram.Token.Split(':')[1], shown, StringComparison.Ordinal);
            Assert.DoesNotContain(created.InboundSecret, shown, StringComparison.Ordinal);
        }
        Assert.Contains("Support bot", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switching_to_polling_removes_the_webhook_and_back_registers_it_again()
    {
        var created = await CreateTelegramAsync();

        var polling = await (await Admin.PatchAsync($"/api/v1/channels/{created.Connection.Id}", JsonContent(new { mode = "polling" }))).ReadAsync<Connection>();
        Assert.Equal("polling", polling.Mode);
        Assert.Null(Telegram.WebhookUrl);
        Assert.Single(Telegram.CallsTo("deleteWebhook"));

        await (await Admin.PatchAsync($"/api/v1/channels/{created.Connection.Id}", JsonContent(new { mode = "webhook" }))).ReadAsync<Connection>();
        Assert.Equal(created.InboundSecret, Telegram.WebhookSecret);
    }

    [Fact]
    public async Task An_agent_cannot_manage_channels()
    {
        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);

        var response = await ClientFor(agent.Token.AccessToken).GetAsync("/api/v1/channels");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Another_workspaces_connection_answers_404()
    {
        var created = await CreateTelegramAsync();
        var other = await App.CreateWorkspaceAsync("Globex");
        var outsider = ClientFor(other.Owner.Token.AccessToken);

        await (await outsider.GetAsync($"/api/v1/channels/{created.Connection.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.DeleteAsync($"/api/v1/channels/{created.Connection.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await (await outsider.GetAsync("/api/v1/channels")).ReadAsync<Connection[]>());
    }

    [Fact]
    public async Task A_malformed_bot_token_gets_field_errors_and_stores_nothing()
    {
        var response = await Admin.PostJsonAsync("/api/v1/channels", new { type = "telegram", name = "Bot", botToken = "not-a-token" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("botToken", out _));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"ChannelConnections\""));
        Assert.Empty(Telegram.CallsTo("setWebhook"));
    }

    [Fact]
    public async Task Deleting_a_connection_removes_its_webhook()
    {
        var created = await CreateTelegramAsync();

        var response = await Admin.DeleteAsync($"/api/v1/channels/{created.Connection.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(Telegram.WebhookUrl);
        await (await Admin.GetAsync($"/api/v1/channels/{created.Connection.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
