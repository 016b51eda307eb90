using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Domain.Conversations;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Api;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

public sealed class ApiChannelTests(OneInboxApp app) : ChannelTest(app)
{
    private readonly ConcurrentQueue<(string Timestamp, string Signature, byte[] Body)> _callbacks = new();
    private WebApplication? _receiver;

    [Fact]
    public async Task An_integration_posts_a_message_with_its_token_and_it_reaches_the_inbox()
    {
        var created = await CreateApiAsync("http://127.0.0.1:9/unused");

        var response = await PostInboundAsync(created, created.InboundSecret, new
        {
            id = "msg-1", conversationId = "visitor-42", sender = new { id = "visitor-42", name = "Ann" }, text = "Hello from the widget",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "the API message");
        var received = Inbox.Received[0];
        Assert.Equal(ChannelType.Api, received.Channel);
        Assert.Equal("Hello from the widget", received.Message.Text);
        Assert.Equal("visitor-42", received.Message.ConversationKey);
        Assert.Equal("Ann", received.Message.Sender.DisplayName);
    }

    [Fact]
    public async Task A_wrong_token_gets_401_and_stores_nothing()
    {
        var created = await CreateApiAsync("http://127.0.0.1:9/unused");

        var response = await PostInboundAsync(created, "not-the-token", new { id = "m", conversationId = "c", sender = new { id = "c" }, text = "x" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
    }

    [Fact]
    public async Task A_reply_is_posted_to_the_callback_with_a_signature_that_verifies_with_the_documented_scheme()
    {
        var callback = await StartReceiverAsync();
        var created = await CreateApiAsync(callback);
        var messageId = Guid.NewGuid();

        await QueueReplyAsync(created.Connection.Id, new OutboundMessage(messageId, "visitor-42", MessageKind.Text, "Hi Ann",
            [new OutboundButton("Yes", "answer:yes")], []));

        await Inbox.WaitUntilAsync(i => i.Statuses.Count == 1, what: "the callback delivery");
        var (timestamp, signature, body) = Assert.Single(_callbacks);
        Assert.True(ApiSignature.Verify(created.SigningSecret!, timestamp, signature, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(ApiSignature.Verify(created.SigningSecret!, timestamp, signature, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("Hi Ann", "Hi Bob", StringComparison.Ordinal)), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Hi Ann", json.GetProperty("text").GetString());
        Assert.Equal("visitor-42", json.GetProperty("conversationId").GetString());
        Assert.Equal(messageId, json.GetProperty("messageId").GetGuid());
        Assert.Equal("answer:yes", json.GetProperty("buttons")[0].GetProperty("payload").GetString());
        Assert.Equal(DeliveryStatus.Sent, Inbox.Statuses[0].Status);
    }

    private async Task<Created> CreateApiAsync(string callbackUrl)
    {
        var response = await Admin.PostJsonAsync("/api/v1/channels", new { type = "api", name = "Web chat", callbackUrl });
        var created = await response.ReadAsync<Created>(HttpStatusCode.Created);
        Assert.Equal($"{PublicBaseUrl}api/v1/channels/{created.Connection.Id}/inbound", created.InboundUrl);
        Assert.NotNull(created.SigningSecret);
        return created;
    }

    private async Task<HttpResponseMessage> PostInboundAsync(Created created, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/channels/{created.Connection.Id}/inbound")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Host.CreateClient().SendAsync(request);
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
            _callbacks.Enqueue((request.Headers[ApiSignature.TimestampHeader].ToString(), request.Headers[ApiSignature.SignatureHeader].ToString(), buffer.ToArray()));
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
