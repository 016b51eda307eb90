using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Flows;

/// <summary>A flow's send-message media reaches customers natively: a photo on Telegram, a media reference in the API callback.</summary>
public class FlowMediaTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string MenuUrl = "https://cdn.example.com/menus/today.jpg";
    private const string Caption = "Here is today's menu.";

    private readonly ConcurrentQueue<byte[]> _callbacks = new();
    private WebApplication? _receiver;

    private static JsonNode MenuPhotoFlow(string url = MenuUrl) => JsonNode.Parse($$$"""
        {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"menu",
         "nodes":[{"id":"menu","type":"SendMessage","typeVersion":1,
                   "inputs":{"text":"{{{Caption}}}","media":{"url":"{{{url}}}","kind":"image"},"buttons":[{"title":"Order","payload":"order"}]}}],
         "edges":[]}
        """)!;

    [Fact]
    public async Task A_published_flow_sends_its_image_through_sendPhoto_with_the_url_and_caption_and_the_inbox_shows_the_media()
    {
        await PublishAsync(MenuPhotoFlow(), "Menu photo");

        await WriteAsync(7001, "menu please");

        var photo = await Telegram.WaitForCallAsync("sendPhoto", c => c.Fault is null);
        Assert.Equal(MenuUrl, photo.Text("photo"));
        Assert.Equal(Caption, photo.Text("caption"));
        Assert.Equal(ChatId, photo.Text("chat_id"));
        Assert.Equal("order", photo.Parameters["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>());
        Assert.Empty(Telegram.CallsTo("sendMessage"));

        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();
        var messages = await (await Admin.GetAsync($"/api/v1/conversations/{conversationId}/messages?limit=100")).ReadAsync<JsonElement>();
        var bot = Assert.Single(messages.GetProperty("items").EnumerateArray(), m => m.GetProperty("authorType").GetString() == "automation");
        Assert.Equal("image", bot.GetProperty("kind").GetString());
        Assert.Equal(Caption, bot.GetProperty("text").GetString());
        var attachment = Assert.Single(bot.GetProperty("attachments").EnumerateArray());
        Assert.Equal(MenuUrl, attachment.GetProperty("url").GetString());
        Assert.Equal("image", attachment.GetProperty("kind").GetString());
        await WaitForAsync(async () => await ScalarAsync($"SELECT \"Status\"::text FROM \"OutboxMessages\" WHERE \"MessageId\" = '{bot.GetProperty("id").GetGuid()}'") == "1", "the delivery");
    }

    [Fact]
    public async Task The_api_channel_callback_carries_the_media_url_and_kind()
    {
        await PublishAsync(MenuPhotoFlow(), "Menu photo");
        var callbackUrl = await StartReceiverAsync();
        var api = await (await Admin.PostJsonAsync("/api/v1/channels", new { type = "api", name = "Web chat", callbackUrl })).ReadAsync<Created>(HttpStatusCode.Created);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/channels/{api.Connection.Id}/inbound")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { id = "w-1", conversationId = "visitor-7", sender = new { id = "visitor-7", name = "Ann" }, text = "menu" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.InboundSecret);
        Assert.Equal(HttpStatusCode.OK, (await Host.CreateClient().SendAsync(request)).StatusCode);

        await WaitForAsync(() => Task.FromResult(!_callbacks.IsEmpty), "the callback");
        var body = JsonDocument.Parse(Assert.Single(_callbacks)).RootElement;
        Assert.Equal("image", body.GetProperty("kind").GetString());
        Assert.Equal(Caption, body.GetProperty("text").GetString());
        var media = Assert.Single(body.GetProperty("attachments").EnumerateArray());
        Assert.Equal(MenuUrl, media.GetProperty("url").GetString());
        Assert.Equal("image", media.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("http://cdn.example.com/menu.jpg")]
    [InlineData("https://127.0.0.1/menu.jpg")]
    [InlineData("https://10.0.0.8/menu.jpg")]
    [InlineData("https://10.0.0.8/menus/{{ conversation.channel }}.jpg")]
    public async Task Publishing_a_flow_whose_media_url_is_not_public_https_is_refused_with_a_problem_on_the_media_field(string url)
    {
        var imported = await (await Admin.PostJsonAsync("/api/v1/flows/import", new { format = "oneinbox-flow/1", name = "Inward", graph = MenuPhotoFlow(url) }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);

        var problem = await (await Admin.PostAsync($"/api/v1/flows/{imported.GetProperty("id").GetGuid()}/publish", null)).AssertProblemAsync((HttpStatusCode)422);

        var listed = Assert.Single(problem.GetProperty("problems").EnumerateArray());
        Assert.Equal(("menu", "media"), (listed.GetProperty("nodeId").GetString(), listed.GetProperty("field").GetString()));
        Assert.StartsWith("The media URL is refused", listed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> StartReceiverAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _receiver = builder.Build();
        _receiver.MapPost("/callback", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            _callbacks.Enqueue(buffer.ToArray());
            return Results.Ok();
        });
        await _receiver.StartAsync();
        return _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/callback";
    }

    public override async Task DisposeAsync()
    {
        if (_receiver is not null)
            await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }
}
