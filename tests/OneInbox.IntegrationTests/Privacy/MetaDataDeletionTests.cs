using System.Globalization;
using System.Net;
using System.Text.Json;
using OneInbox.Infrastructure.Channels.WhatsApp;
using OneInbox.IntegrationTests.Channels;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;
using static OneInbox.IntegrationTests.Channels.WhatsApp.WhatsAppTestKit;

namespace OneInbox.IntegrationTests.Privacy;

/// <summary>
/// Meta's data deletion callback on a WhatsApp connection: only a signed_request made with the connection's app secret
/// opens a case; the public status page shows its state and nothing about the person.
/// </summary>
public sealed class MetaDataDeletionTests(OneInboxApp app) : ChannelTest(app)
{
    private FakeWhatsAppGraphApi _graph = null!;
    private Guid _connection;

    public override async Task InitializeAsync()
    {
        _graph = await FakeWhatsAppGraphApi.StartAsync();
        await base.InitializeAsync();
        (_connection, _, _) = await ConnectAsync(Admin, _graph);
        // Maria writes once: she is a contact with her WhatsApp account.
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(Host.CreateClient(), _connection, Body(Change(FakeWhatsAppGraphApi.DefaultPhoneNumberId, [Text("wamid.D1", "hola")])))).StatusCode);
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "Maria's message");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private static string Payload(string userId, DateTimeOffset issuedAt, string algorithm = "HMAC-SHA256") =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["algorithm"] = algorithm, ["user_id"] = userId, ["issued_at"] = issuedAt.ToUnixTimeSeconds() });

    private Task<HttpResponseMessage> CallbackAsync(Guid connectionId, string? signedRequest) =>
        Host.CreateClient().PostAsync($"/webhooks/meta/data-deletion/{connectionId}",
            new FormUrlEncodedContent(signedRequest is null ? [] : [new KeyValuePair<string, string>("signed_request", signedRequest)]));

    [Fact]
    public async Task A_valid_signed_request_opens_an_erasure_case_for_the_whatsapp_contact_and_its_status_page_shows_nothing_personal()
    {
        var response = await CallbackAsync(_connection, MetaSignedRequest.Sign(Payload(Maria, DateTimeOffset.UtcNow), _graph.AppSecret));
        var receipt = await response.ReadAsync<JsonElement>();
        var code = receipt.GetProperty("confirmation_code").GetString()!;
        Assert.Equal($"{PublicBaseUrl}privacy/deletion-status/{code}", receipt.GetProperty("url").GetString());

        var request = Assert.Single((await (await Admin.GetAsync("/api/v1/privacy/requests")).ReadAsync<JsonElement>()).EnumerateArray());
        Assert.Equal(("erasure", "metaCallback", "received"), (request.GetProperty("type").GetString(), request.GetProperty("channel").GetString(), request.GetProperty("status").GetString()));
        var contactId = (await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>()).GetProperty("items")[0].GetProperty("contactId").GetGuid();
        Assert.Equal(contactId, request.GetProperty("contactId").GetGuid());

        // Meta asks again: the open case answers.
        var again = await (await CallbackAsync(_connection, MetaSignedRequest.Sign(Payload(Maria, DateTimeOffset.UtcNow), _graph.AppSecret))).ReadAsync<JsonElement>();
        Assert.Equal(code, again.GetProperty("confirmation_code").GetString());

        var page = await Host.CreateClient().GetAsync($"/privacy/deletion-status/{code}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-status=\"received\"", html, StringComparison.Ordinal);
        Assert.Contains(request.GetProperty("dueAt").GetDateTimeOffset().ToString("d MMMM yyyy", CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        Assert.DoesNotContain("Maria", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Maria, html, StringComparison.Ordinal);
        Assert.DoesNotContain(contactId.ToString(), html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await Host.CreateClient().GetAsync($"/privacy/deletion-status/{new string('0', 32)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.CreateClient().GetAsync("/privacy/deletion-status/<script>")).StatusCode);
    }

    [Fact]
    public async Task An_account_that_names_no_contact_gets_a_closed_case_saying_no_data_is_held()
    {
        var receipt = await (await CallbackAsync(_connection, MetaSignedRequest.Sign(Payload("1098765432", DateTimeOffset.UtcNow), _graph.AppSecret))).ReadAsync<JsonElement>();
        var request = Assert.Single((await (await Admin.GetAsync("/api/v1/privacy/requests")).ReadAsync<JsonElement>()).EnumerateArray());
        Assert.Equal(("completed", true), (request.GetProperty("status").GetString(), request.GetProperty("subjectErased").GetBoolean()));
        var html = await (await Host.CreateClient().GetAsync($"/privacy/deletion-status/{receipt.GetProperty("confirmation_code").GetString()}")).Content.ReadAsStringAsync();
        Assert.Contains("No personal data linked to this account is held here.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampered_wrongly_signed_expired_or_foreign_requests_are_refused_and_store_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var valid = MetaSignedRequest.Sign(Payload(Maria, now), _graph.AppSecret);
        var tampered = valid.Split('.')[0] + "." + MetaSignedRequest.Sign(Payload("34600999999", now), _graph.AppSecret).Split('.')[1];
        string?[] refused =
        [
            tampered,
            MetaSignedRequest.Sign(Payload(Maria, now), "not-the-app-secret"),
            MetaSignedRequest.Sign(Payload(Maria, now.AddHours(-2)), _graph.AppSecret),
            MetaSignedRequest.Sign(Payload(Maria, now, algorithm: "HMAC-SHA1"), _graph.AppSecret),
            "no-dot-here",
            null,
        ];
        foreach (var signedRequest in refused)
            await (await CallbackAsync(_connection, signedRequest)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await CallbackAsync(Guid.NewGuid(), valid)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        // A Telegram connection has no Meta app secret: refused alike.
        var telegram = await CreateTelegramAsync();
        await (await CallbackAsync(telegram.Connection.Id, valid)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty((await (await Admin.GetAsync("/api/v1/privacy/requests")).ReadAsync<JsonElement>()).EnumerateArray());

        var deletion = await (await Host.CreateClient().GetAsync("/privacy/data-deletion")).Content.ReadAsStringAsync();
        Assert.Contains("delete my data", deletion, StringComparison.Ordinal);
        var policy = await (await Host.CreateClient().GetAsync("/privacy")).Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"/privacy/data-deletion\">Data Deletion page</a>", policy, StringComparison.Ordinal);
    }
}
