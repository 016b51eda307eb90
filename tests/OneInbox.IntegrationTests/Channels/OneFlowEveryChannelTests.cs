using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;
using static OneInbox.IntegrationTests.Channels.WhatsApp.WhatsAppTestKit;

namespace OneInbox.IntegrationTests.Channels;

/// <summary>
/// One published menu flow, three customers on three chat apps: each gets the menu with their app's own buttons
/// (Telegram inline keyboard, WhatsApp reply buttons, Discord message components), and each press continues the flow.
/// </summary>
public sealed class OneFlowEveryChannelTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string AskEmail = "What is the email address on your order?";
    private const string DiscordUser = "1300000000000000003";

    private FakeWhatsAppGraphApi _whatsApp = null!;
    private FakeDiscord _discord = null!;

    public override async Task InitializeAsync()
    {
        _whatsApp = await FakeWhatsAppGraphApi.StartAsync();
        _discord = await FakeDiscord.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _whatsApp.DisposeAsync();
        await _discord.DisposeAsync();
    }

    [Fact]
    public async Task The_same_menu_flow_answers_on_Telegram_WhatsApp_and_Discord_with_native_buttons_and_each_press_continues_it()
    {
        var (whatsApp, _, _) = await ConnectAsync(Admin, _whatsApp);
        await (await Admin.PostJsonAsync("/api/v1/channels", new
        {
            type = "discord", name = "Discord bot", botToken = FakeDiscord.DefaultToken, applicationId = FakeDiscord.ApplicationId,
            publicKey = FakeDiscord.PublicKeyHex, baseUrl = _discord.BaseUrl.ToString(),
        })).ReadAsync<Created>(HttpStatusCode.Created);
        await _discord.WaitUntilAsync(f => f.LiveSockets == 1, "the gateway session", TimeSpan.FromSeconds(30));
        await PublishAsync(MenuGraph((await SupportTeamAsync()).TeamId), "Support menu");

        await WriteAsync(1, "Hi");
        await Customer(whatsApp, Text("wamid.EVERY1", "Hi"));
        var dm = DirectMessage("Hi");
        await _discord.DispatchAsync("MESSAGE_CREATE", dm);

        var telegramMenu = await Telegram.WaitForCallAsync("sendMessage", c => c.Parameters["reply_markup"] is not null);
        Assert.Equal(["hours", "order", "agent"],
            telegramMenu.Parameters["reply_markup"]!["inline_keyboard"]!.AsArray().Select(row => row![0]!["callback_data"]!.GetValue<string>()));

        var whatsAppMenu = await WaitForSentAsync(() => _whatsApp.Sent.LastOrDefault(m => m["type"]?.GetValue<string>() == "interactive"), "the WhatsApp menu");
        Assert.Equal(["hours", "order", "agent"],
            whatsAppMenu["interactive"]!["action"]!["buttons"]!.AsArray().Select(b => b!["reply"]!["id"]!.GetValue<string>()));

        var discordMenu = await _discord.WaitForMessageAsync(m => m.Buttons.Count > 0, TimeSpan.FromSeconds(30));
        Assert.Equal(["hours", "order", "agent"], discordMenu.Buttons.Select(b => b.CustomId));
        Assert.Equal(FakeDiscord.DmChannelId(DiscordUser), discordMenu.ChannelId);

        await PressAsync("order");
        await Customer(whatsApp, ButtonReply("wamid.EVERY2", "order", "Order status", 1));
        await _discord.DispatchAsync("INTERACTION_CREATE", Press(discordMenu, "order"));

        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == AskEmail);
        await WaitForSentAsync(() => _whatsApp.Sent.LastOrDefault(m => m["text"]?["body"]?.GetValue<string>() == AskEmail), "the WhatsApp question");
        await _discord.WaitForMessageAsync(m => m.Content == AskEmail, TimeSpan.FromSeconds(30));

        var page = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonObject>();
        Assert.Equal(["discord", "telegram", "whatsapp"], page["items"]!.AsArray().Select(c => c!["channel"]!.GetValue<string>()).Order());
    }

    private async Task Customer(Guid connection, object message) =>
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(Host.CreateClient(), connection,
            Body(Change(FakeWhatsAppGraphApi.DefaultPhoneNumberId, [message])))).StatusCode);

    private static async Task<JsonObject> WaitForSentAsync(Func<JsonObject?> find, string what)
    {
        JsonObject? found = null;
        await WaitForAsync(() => Task.FromResult((found = find()) is not null), what);
        return found!;
    }

    private JsonObject DirectMessage(string content) => new()
    {
        ["id"] = _discord.NextId(), ["channel_id"] = FakeDiscord.DmChannelId(DiscordUser), ["channel_type"] = 1, ["type"] = 0, ["content"] = content,
        ["author"] = new JsonObject { ["id"] = DiscordUser, ["username"] = "maria.l", ["discriminator"] = "0", ["global_name"] = "Maria" },
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["attachments"] = new JsonArray(), ["mentions"] = new JsonArray(), ["embeds"] = new JsonArray(), ["components"] = new JsonArray(),
    };

    private JsonObject Press(FakeDiscordMessage pressedOn, string customId) => new()
    {
        ["id"] = _discord.NextId(), ["application_id"] = FakeDiscord.ApplicationId, ["type"] = 3, ["token"] = "interaction-token-" + _discord.NextId(),
        ["version"] = 1, ["channel_id"] = pressedOn.ChannelId,
        ["user"] = new JsonObject { ["id"] = DiscordUser, ["username"] = "maria.l", ["discriminator"] = "0", ["global_name"] = "Maria" },
        ["data"] = new JsonObject { ["component_type"] = 2, ["custom_id"] = customId },
        ["message"] = new JsonObject
        {
            ["id"] = pressedOn.Id, ["channel_id"] = pressedOn.ChannelId, ["content"] = pressedOn.Content,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["components"] = pressedOn.Payload["components"]!.DeepClone(),
        },
    };
}
