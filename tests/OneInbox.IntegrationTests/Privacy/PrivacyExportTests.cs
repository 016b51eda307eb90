using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Privacy;

/// <summary>
/// Access and portability on real parts: a Telegram customer talks to a flow with a question and to an agent who sends
/// a file; the export built in the background is compared, field by field, with what the test itself did.
/// </summary>
public class PrivacyExportTests(OneInboxApp app) : LiveFlowTest(app)
{
    private static readonly byte[] Invoice = Encoding.UTF8.GetBytes("Invoice A-1001: 120.00 EUR, paid.");

    protected override void ConfigureHost(IWebHostBuilder host)
    {
        base.ConfigureHost(host);
        host.UseSetting("OneInbox:Privacy:ExportIntervalSeconds", "0.2");
    }

    [Fact]
    public async Task The_export_holds_the_profile_every_message_the_files_the_notes_and_the_automated_decisions_and_is_gone_with_the_person()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[{"name":"email","type":"text"}],"start":"ask",
             "nodes":[{"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"Your email, please?","validation":"email","variable":"email"}},
                      {"id":"thanks","type":"SendMessage","typeVersion":1,"inputs":{"text":"Thanks, {{ vars.email }}."}}],
             "edges":[{"source":"ask","sourcePort":"answered","target":"thanks"}]}
            """)!, "Email");
        await WriteAsync(8001, "Hello, I need my invoice");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Your email, please?");
        await WriteAsync(8002, "maria@example.com");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Thanks, maria@example.com.");

        var conversation = await ConversationAsync();
        var conversationId = conversation.GetProperty("id").GetGuid();
        var contactId = conversation.GetProperty("contactId").GetGuid();
        var upload = new ByteArrayContent(Invoice);
        upload.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var attachment = await (await Admin.PostAsync("/api/v1/attachments?fileName=invoice-a-1001.txt", upload)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { text = "Here is your invoice.", attachmentIds = new[] { attachment.GetProperty("id").GetGuid() } })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync($"/api/v1/contacts/{contactId}/notes", new { text = "Prefers email invoices." })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync($"/api/v1/contacts/{contactId}/identities", new { channel = "discord", externalId = "777000777" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await Admin.PatchJsonAsync($"/api/v1/contacts/{contactId}", new { emails = new[] { "maria@example.com" }, tags = new[] { "vip" } })).ReadAsync<JsonElement>();

        var request = await (await Admin.PostJsonAsync("/api/v1/privacy/requests", new { type = "access", channel = "chat", contactId })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var requestId = request.GetProperty("id").GetGuid();
        await (await Admin.GetAsync($"/api/v1/privacy/requests/{requestId}/export")).AssertProblemAsync(HttpStatusCode.Conflict);
        var started = await (await Admin.PostAsync($"/api/v1/privacy/requests/{requestId}/exports", null)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal("building", started.GetProperty("status").GetString());
        await WaitForAsync(async () => (await (await Admin.GetAsync($"/api/v1/privacy/requests/{requestId}/exports")).ReadAsync<JsonElement>())[0]
            .GetProperty("status").GetString() == "ready", "the export to be built");
        var listed = (await (await Admin.GetAsync($"/api/v1/privacy/requests/{requestId}/exports")).ReadAsync<JsonElement>())[0];
        Assert.Equal(TimeSpan.FromHours(24), listed.GetProperty("expiresAt").GetDateTimeOffset() - listed.GetProperty("readyAt").GetDateTimeOffset());
        Assert.Equal(TimeSpan.FromDays(7), listed.GetProperty("deleteAfter").GetDateTimeOffset() - listed.GetProperty("readyAt").GetDateTimeOffset());

        var auditor = await Workspace.ClientAsync(WorkspaceRole.Auditor);
        await (await auditor.GetAsync($"/api/v1/privacy/requests/{requestId}/export")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var download = await Admin.GetAsync($"/api/v1/privacy/requests/{requestId}/export");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));

        // The oracle: what the test did, independently of how the server stores it.
        Assert.Contains("automated-decisions.json", Text(zip, "README.txt"), StringComparison.Ordinal);
        var contact = Json(zip, "contact.json");
        Assert.Equal("Maria", contact.GetProperty("displayName").GetString());
        Assert.Equal(["maria@example.com"], contact.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["vip"], contact.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([("telegram", ChatId), ("discord", "777000777")], contact.GetProperty("identities").EnumerateArray()
            .Select(i => (i.GetProperty("channel").GetString(), i.GetProperty("externalId").GetString())));
        Assert.Contains(Json(zip, "notes.json").EnumerateArray(), n => n.GetProperty("text").GetString() == "Prefers email invoices.");

        var thread = Json(zip, $"conversations/{conversationId:N}.json");
        var lines = thread.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("kind").GetString() != "system").ToList();
        Assert.Equal(
            [("inbound", "Hello, I need my invoice"), ("outbound", "Your email, please?"), ("inbound", "maria@example.com"), ("outbound", "Thanks, maria@example.com."), ("outbound", "Here is your invoice.")],
            lines.Select(m => (m.GetProperty("direction").GetString(), m.GetProperty("text").GetString())));
        var file = lines[^1].GetProperty("attachments")[0];
        Assert.Equal("invoice-a-1001.txt", file.GetProperty("fileName").GetString());
        Assert.Equal(Invoice, Bytes(zip, file.GetProperty("file").GetString()!));

        var decisions = Json(zip, "automated-decisions.json").EnumerateArray().ToList();
        Assert.Equal([("ask", null), ("ask", "answered"), ("thanks", "done")], decisions.Select(d => (d.GetProperty("node").GetString(), d.GetProperty("outcome").GetString())));
        Assert.All(decisions, d => Assert.Equal(("Email", 1), (d.GetProperty("flow").GetString(), d.GetProperty("version").GetInt32())));
        Assert.Contains("maria@example.com", decisions[1].GetProperty("inputs").GetRawText(), StringComparison.Ordinal);
        var csv = Text(zip, "csv/messages.csv");
        Assert.StartsWith("conversationId,sentAt,direction,from,kind,text,deliveryStatus", csv, StringComparison.Ordinal);
        Assert.Contains("Here is your invoice.", csv, StringComparison.Ordinal);

        var audit = await (await Admin.GetAsync("/api/v1/audit-events?action=privacy.export_downloaded")).ReadAsync<JsonElement>();
        Assert.Single(audit.GetProperty("items").EnumerateArray());

        // Completing tells the person their data is ready; erasing them takes the export with them.
        await (await Admin.PostJsonAsync($"/api/v1/privacy/requests/{requestId}/complete", new { note = "Sent by email." })).ReadAsync<JsonElement>();
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == CompletePrivacyRequestHandler.ExportReadyNotice);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/contacts/{contactId}")).StatusCode);
        Assert.Empty((await (await Admin.GetAsync($"/api/v1/privacy/requests/{requestId}/exports")).ReadAsync<JsonElement>()).EnumerateArray());
        await (await Admin.GetAsync($"/api/v1/privacy/requests/{requestId}/export")).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Only_access_and_portability_requests_have_exports_and_another_workspace_sees_none()
    {
        var contact = await (await Admin.PostJsonAsync("/api/v1/contacts", new { displayName = "Noor" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var restriction = await (await Admin.PostJsonAsync("/api/v1/privacy/requests", new { type = "restriction", channel = "api", contactId = contact.GetProperty("id").GetGuid() }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await Admin.PostAsync($"/api/v1/privacy/requests/{restriction.GetProperty("id").GetGuid()}/exports", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var access = await (await Admin.PostJsonAsync("/api/v1/privacy/requests", new { type = "portability", channel = "api", contactId = contact.GetProperty("id").GetGuid() }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var url = $"/api/v1/privacy/requests/{access.GetProperty("id").GetGuid()}/exports";
        await (await Admin.PostAsync(url, null)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var other = await App.CreateWorkspaceAsync("Other");
        await (await other.Owner.Client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Owner.Client.PostAsync(url, null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Owner.Client.GetAsync(url.TrimEnd('s'))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static string Text(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)?.Open() ?? throw new Xunit.Sdk.XunitException($"The export has no {name}."));
        return reader.ReadToEnd();
    }

    private static JsonElement Json(ZipArchive zip, string name) => JsonDocument.Parse(Text(zip, name)).RootElement;

    private static byte[] Bytes(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
