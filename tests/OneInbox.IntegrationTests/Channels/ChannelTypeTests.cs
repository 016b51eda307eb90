using System.Net;
using System.Text.Json;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

/// <summary>The channel types as their modules describe them, and the generic checks made from those descriptions.</summary>
public sealed class ChannelTypeTests(OneInboxApp app) : ChannelTest(app)
{
    [Fact]
    public async Task The_channel_types_list_each_modules_fields_modes_and_rotatable_settings()
    {
        var types = await (await Admin.GetAsync("/api/v1/channel-types")).ReadAsync<JsonElement>();

        var telegram = types.EnumerateArray().Single(t => t.GetProperty("type").GetString() == "telegram");
        Assert.Equal("Telegram", telegram.GetProperty("displayName").GetString());
        Assert.Equal(["webhook", "polling"], telegram.GetProperty("modes").EnumerateArray().Select(m => m.GetString()));
        var token = telegram.GetProperty("fields").EnumerateArray().Single();
        Assert.Equal("botToken", token.GetProperty("name").GetString());
        Assert.Equal("secret", token.GetProperty("kind").GetString());
        Assert.True(token.GetProperty("required").GetBoolean());
        Assert.Equal(JsonValueKind.Null, token.GetProperty("options").ValueKind);
        Assert.Equal(["botToken"], telegram.GetProperty("rotatable").EnumerateArray().Select(m => m.GetString()));

        var api = types.EnumerateArray().Single(t => t.GetProperty("type").GetString() == "api");
        Assert.Equal(["webhook"], api.GetProperty("modes").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("url", api.GetProperty("fields").EnumerateArray().Single().GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Only_admins_and_owners_read_the_channel_types()
    {
        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);

        var response = await ClientFor(agent.Token.AccessToken).GetAsync("/api/v1/channel-types");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_mode_or_a_field_the_channel_does_not_have_is_refused_by_field()
    {
        var polling = await Admin.PostJsonAsync("/api/v1/channels", new { type = "api", name = "Widget", mode = "polling", callbackUrl = "https://example.com/cb" });
        var foreign = await Admin.PostJsonAsync("/api/v1/channels", new { type = "api", name = "Widget", callbackUrl = "https://example.com/cb", botToken = "1:x" });
        var missing = await Admin.PostJsonAsync("/api/v1/channels", new { type = "api", name = "Widget" });

        Assert.True((await polling.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("mode", out _));
        Assert.True((await foreign.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("botToken", out _));
        Assert.True((await missing.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("callbackUrl", out _));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"ChannelConnections\""));
    }

    [Fact]
    public async Task Only_rotatable_settings_can_be_changed()
    {
        var created = await CreateTelegramAsync();

        var response = await Admin.PatchAsync($"/api/v1/channels/{created.Connection.Id}",
            new StringContent("""{"callbackUrl":"https://example.com/cb"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.True((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("callbackUrl", out _));
    }
}
