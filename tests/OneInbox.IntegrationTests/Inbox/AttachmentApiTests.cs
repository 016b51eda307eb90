using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class AttachmentApiTests(OneInboxApp app) : ApiTest(app)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    [Fact]
    public async Task An_uploaded_image_comes_back_byte_for_byte_with_its_sniffed_type()
    {
        var agent = await AgentAsync();

        var uploaded = await UploadAsync(agent, Png, "photo.bin", "application/octet-stream");
        var download = await agent.GetAsync($"/api/v1/attachments/{uploaded.GetProperty("id").GetGuid()}");

        Assert.Equal("image/png", uploaded.GetProperty("contentType").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "logo.png", "image/png", "image/svg+xml")]
    [InlineData("<!DOCTYPE html><html><script>alert(1)</script></html>", "invoice.pdf", "application/pdf", "text/html")]
    public async Task Active_content_is_served_only_as_a_download_whatever_it_claims_to_be(string body, string name, string claimed, string sniffed)
    {
        var agent = await AgentAsync();

        var uploaded = await UploadAsync(agent, Encoding.UTF8.GetBytes(body), name, claimed);
        var download = await agent.GetAsync($"/api/v1/attachments/{uploaded.GetProperty("id").GetGuid()}");

        Assert.Equal(sniffed, uploaded.GetProperty("contentType").GetString());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task An_oversized_upload_gets_413_and_nothing_is_kept()
    {
        var agent = await AgentAsync();
        var huge = new byte[25 * 1024 * 1024 + 1];
        var filesBefore = StoredFiles();

        var response = await agent.PostAsync("/api/v1/attachments?fileName=big.bin", new ByteArrayContent(huge));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0L, await App.CountAsync("Attachments"));
        Assert.Equal(filesBefore, StoredFiles());
    }

    [Fact]
    public async Task An_oversized_upload_of_unknown_length_is_cut_off_with_413()
    {
        var agent = await AgentAsync();
        var content = new StreamContent(new MemoryStream(new byte[25 * 1024 * 1024 + 1]));
        content.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/attachments?fileName=big.bin") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var filesBefore = StoredFiles();

        var response = await agent.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0L, await App.CountAsync("Attachments"));
        Assert.Equal(filesBefore, StoredFiles());
    }

    [Fact]
    public async Task Another_workspace_cannot_download_an_attachment()
    {
        var agent = await AgentAsync();
        var stranger = await (await App.CreateWorkspaceAsync("Globex")).ClientAsync(WorkspaceRole.Agent);
        var uploaded = await UploadAsync(agent, Png, "photo.png", "image/png");

        var response = await stranger.GetAsync($"/api/v1/attachments/{uploaded.GetProperty("id").GetGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_reply_with_an_attachment_puts_its_storage_key_in_the_outbox()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1", "Send me the label");
        var uploaded = await UploadAsync(agent, Png, "label.png", "image/png");

        var reply = await (await agent.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/messages",
            new { attachmentIds = new[] { uploaded.GetProperty("id").GetGuid() } })).ReadAsync<ReplyView>(HttpStatusCode.Created);

        Assert.Equal("image", reply.Message.Kind);
        var payload = await App.OutboxPayloadAsync(reply.Message.Id);
        var attachment = Assert.Single(payload.GetProperty("Attachments").EnumerateArray().ToList());
        Assert.Equal("label.png", attachment.GetProperty("FileName").GetString());
    }

    private string[] StoredFiles()
    {
        var folder = Path.Combine(App.DataPath, "attachments");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order()] : [];
    }

    private async Task<HttpClient> AgentAsync() => await (await App.CreateWorkspaceAsync()).ClientAsync(WorkspaceRole.Agent);

    private static async Task<JsonElement> UploadAsync(HttpClient client, byte[] bytes, string fileName, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await (await client.PostAsync($"/api/v1/attachments?fileName={Uri.EscapeDataString(fileName)}", content)).ReadAsync<JsonElement>(HttpStatusCode.Created);
    }
}
