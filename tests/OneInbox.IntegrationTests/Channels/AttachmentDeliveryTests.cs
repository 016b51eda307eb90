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
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Channels.Api;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

/// <summary>An agent's uploaded file followed through a reply to the provider: the bytes that arrive are the bytes uploaded.</summary>
public sealed class AttachmentDeliveryTests(OneInboxApp app) : ChannelTest(app)
{
    private const string CustomerWrites = """
        { "update_id": 864209001,
          "message": {
            "message_id": 3001,
            "from": { "id": 5550002222, "is_bot": false, "first_name": "Maria", "language_code": "es" },
            "chat": { "id": 5550002222, "first_name": "Maria", "type": "private" },
            "date": 1767225600,
            "text": "Can you send me the return label?" } }
        """;

    private static readonly byte[] Png =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89];

    private readonly ConcurrentQueue<byte[]> _callbacks = new();
    private WebApplication? _receiver;

    [Fact]
    public async Task An_uploaded_png_an_agent_replies_with_reaches_telegram_as_a_photo_with_the_exact_bytes()
    {
        var created = await CreateTelegramAsync();
        await PostUpdateAsync(created.Connection.Id, CustomerWrites, created.InboundSecret);
        var conversationId = await ConversationOnAsync(created.Connection.Id);
        var agent = await AgentAsync();

        var uploaded = await UploadAsync(agent, Png, "label.png");
        var reply = await ReplyAsync(agent, conversationId, "Here is your label", uploaded);

        var call = await Telegram.WaitForCallAsync("sendPhoto");
        Assert.Equal(Png, call.Files["photo"].Content);
        Assert.Equal("Here is your label", call.Text("caption"));
        // The status is recorded after the send's outcome commits.
        await WaitForAsync(async () => (await MessageAsync(agent, conversationId, reply.GetProperty("id").GetGuid())).GetProperty("status").GetString() == "sent",
            "the sent status on the message");
        var message = await MessageAsync(agent, conversationId, reply.GetProperty("id").GetGuid());
        var shown = Assert.Single(message.GetProperty("attachments").EnumerateArray());
        Assert.Equal(uploaded, shown.GetProperty("id").GetGuid());
        Assert.Equal("image", shown.GetProperty("kind").GetString());
        Assert.False(shown.TryGetProperty("storageKey", out _));
        Assert.False(shown.TryGetProperty("providerFileId", out _));
    }

    [Fact]
    public async Task A_document_an_agent_replies_with_reaches_telegram_as_a_document_with_the_exact_bytes()
    {
        var created = await CreateTelegramAsync();
        await PostUpdateAsync(created.Connection.Id, CustomerWrites, created.InboundSecret);
        var conversationId = await ConversationOnAsync(created.Connection.Id);
        var agent = await AgentAsync();
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

        await ReplyAsync(agent, conversationId, null, await UploadAsync(agent, pdf, "invoice.pdf"));

        var call = await Telegram.WaitForCallAsync("sendDocument");
        Assert.Equal(pdf, call.Files["document"].Content);
        Assert.Equal("invoice.pdf", call.Files["document"].FileName);
    }

    [Fact]
    public async Task An_uploaded_png_an_agent_replies_with_reaches_the_api_callback_with_the_exact_bytes()
    {
        var callback = await StartReceiverAsync();
        var created = await (await Admin.PostJsonAsync("/api/v1/channels", new { type = "api", name = "Web chat", callbackUrl = callback }))
            .ReadAsync<Created>(HttpStatusCode.Created);
        using (var inbound = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/channels/{created.Connection.Id}/inbound")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { id = "m-1", conversationId = "visitor-7", sender = new { id = "visitor-7", name = "Ann" }, text = "Label please" }),
                Encoding.UTF8, "application/json"),
        })
        {
            inbound.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created.InboundSecret);
            Assert.Equal(HttpStatusCode.OK, (await Host.CreateClient().SendAsync(inbound)).StatusCode);
        }
        var conversationId = await ConversationOnAsync(created.Connection.Id);
        var agent = await AgentAsync();

        await ReplyAsync(agent, conversationId, "Your label", await UploadAsync(agent, Png, "label.png"));

        await WaitForAsync(() => Task.FromResult(!_callbacks.IsEmpty), "the callback");
        var json = JsonDocument.Parse(Assert.Single(_callbacks)).RootElement;
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("image", attachment.GetProperty("kind").GetString());
        Assert.Equal("label.png", attachment.GetProperty("fileName").GetString());
        Assert.Equal("image/png", attachment.GetProperty("contentType").GetString());
        Assert.Equal(Png, Convert.FromBase64String(attachment.GetProperty("content").GetString()!));
    }

    [Fact]
    public async Task A_file_gone_from_storage_fails_the_reply_at_once_with_the_reason_instead_of_retrying()
    {
        var created = await CreateTelegramAsync();
        await PostUpdateAsync(created.Connection.Id, CustomerWrites, created.InboundSecret);
        var conversationId = await ConversationOnAsync(created.Connection.Id);
        var agent = await AgentAsync();
        var uploaded = await UploadAsync(agent, Png, "label.png");
        var storageKey = await ScalarAsync($"SELECT \"StorageKey\" FROM \"Attachments\" WHERE \"Id\" = '{uploaded}'");
        File.Delete(Path.Combine([App.DataPath, "attachments", .. storageKey!.Split('/')]));

        var reply = await ReplyAsync(agent, conversationId, "Here is your label", uploaded);

        var messageId = reply.GetProperty("id").GetGuid();
        await Inbox.WaitUntilAsync(i => i.Statuses.Any(s => s.MessageId == messageId), what: "the failed status");
        var status = Assert.Single(Inbox.Statuses, s => s.MessageId == messageId);
        Assert.Equal((DeliveryStatus.Failed, "attachment_missing"), (status.Status, status.Reason));
        await WaitForAsync(async () => (await MessageAsync(agent, conversationId, messageId)).GetProperty("status").GetString() == "failed",
            "the failed status on the message");
        var message = await MessageAsync(agent, conversationId, messageId);
        Assert.Equal("attachment_missing", message.GetProperty("failureReason").GetString());
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM \"OutboxMessages\" WHERE \"MessageId\" = '{messageId}' AND \"Status\" = 2 AND \"Attempts\" <= 1"));
        Assert.Empty(Telegram.CallsTo("sendPhoto"));
    }

    private async Task<HttpClient> AgentAsync() => ClientFor((await Workspace.MemberAsync(WorkspaceRole.Agent)).Token.AccessToken);

    private async Task<Guid> ConversationOnAsync(Guid connectionId)
    {
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"Conversations\" WHERE \"ConnectionId\" = '{connectionId}'") == 1, "the conversation");
        return Guid.Parse((await ScalarAsync($"SELECT \"Id\" FROM \"Conversations\" WHERE \"ConnectionId\" = '{connectionId}'"))!);
    }

    private static async Task<Guid> UploadAsync(HttpClient agent, byte[] bytes, string fileName)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var uploaded = await (await agent.PostAsync($"/api/v1/attachments?fileName={Uri.EscapeDataString(fileName)}", content)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        return uploaded.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> ReplyAsync(HttpClient agent, Guid conversationId, string? text, Guid attachmentId)
    {
        var reply = await (await agent.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { text, attachmentIds = new[] { attachmentId } }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        return reply.GetProperty("message");
    }

    private static async Task<JsonElement> MessageAsync(HttpClient agent, Guid conversationId, Guid messageId)
    {
        var page = await (await agent.GetAsync($"/api/v1/conversations/{conversationId}/messages")).ReadAsync<JsonElement>();
        return page.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == messageId);
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
