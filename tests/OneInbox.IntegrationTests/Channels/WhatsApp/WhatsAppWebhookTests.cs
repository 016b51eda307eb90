using System.Net;
using System.Text;
using System.Text.Json;
using OneInbox.Domain.Channels;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;
using static OneInbox.IntegrationTests.Channels.WhatsApp.WhatsAppTestKit;

namespace OneInbox.IntegrationTests.Channels.WhatsApp;

public sealed class WhatsAppWebhookTests(OneInboxApp app) : ChannelTest(app)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private FakeWhatsAppGraphApi _graph = null!;

    public override async Task InitializeAsync()
    {
        _graph = await FakeWhatsAppGraphApi.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task Connecting_a_number_checks_the_token_at_the_graph_api_and_shows_the_webhook_url_and_verify_token_once()
    {
        var (id, verifyToken, inboundUrl) = await ConnectAsync(Admin, _graph);

        Assert.Equal($"{PublicBaseUrl}webhooks/whatsapp/{id}", inboundUrl);
        Assert.True(verifyToken.Length >= 40);
        Assert.Contains(_graph.Calls, c => c.Method == "GET" && c.Path == $"/v23.0/{FakeWhatsAppGraphApi.DefaultPhoneNumberId}" && c.Status == 200);
        var shown = await (await Admin.GetAsync($"/api/v1/channels/{id}")).Content.ReadAsStringAsync()
                    + await (await Admin.GetAsync("/api/v1/channels")).Content.ReadAsStringAsync()
                    + await ScalarAsync("SELECT \"Credentials\" || \"InboundSecret\" FROM \"ChannelConnections\"");
        Assert.DoesNotContain(_graph.Token, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(_graph.AppSecret, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(verifyToken, shown, StringComparison.Ordinal);
        Assert.Contains("\"whatsapp\"", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_graph_api_refuses_is_a_problem_naming_the_field_and_stores_nothing()
    {
        var response = await Admin.PostJsonAsync("/api/v1/channels", new
        {
            type = "whatsapp", name = "WA", phoneNumberId = FakeWhatsAppGraphApi.DefaultPhoneNumberId, businessAccountId = "1",
            accessToken = "EAAwrong", appSecret = "s", baseUrl = _graph.BaseUrl.ToString(),
        });
        var unknownNumber = await Admin.PostJsonAsync("/api/v1/channels", new
        {
            type = "whatsapp", name = "WA", phoneNumberId = "999", businessAccountId = "1", accessToken = _graph.Token, appSecret = "s",
            baseUrl = _graph.BaseUrl.ToString(),
        });

        Assert.True((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("accessToken", out _));
        Assert.True((await unknownNumber.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("phoneNumberId", out _));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"ChannelConnections\""));
    }

    [Fact]
    public async Task The_verification_handshake_echoes_the_challenge_only_for_the_right_verify_token()
    {
        var (id, verifyToken, _) = await ConnectAsync(Admin, _graph);
        var client = Host.CreateClient();

        var right = await client.GetAsync($"/webhooks/whatsapp/{id}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={verifyToken}");
        var wrong = await client.GetAsync($"/webhooks/whatsapp/{id}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess");
        var unknown = await client.GetAsync($"/webhooks/whatsapp/{Guid.NewGuid()}?hub.mode=subscribe&hub.challenge=1&hub.verify_token={verifyToken}");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("text/plain", right.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await right.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
    }

    [Fact]
    public async Task Only_the_exact_signed_bytes_pass_the_signature_check()
    {
        var (id, _, _) = await ConnectAsync(Admin, _graph);
        var client = Host.CreateClient();
        var body = Utf8(W1);
        Assert.Equal(W1Signature, FakeWhatsAppGraphApi.Sign(body));

        var unsigned = await PostSignedAsync(client, id, body, signature: null);
        var wrong = await PostSignedAsync(client, id, Utf8(W1.Replace("Hola", "Hole", StringComparison.Ordinal)), W1Signature);
        var truncated = await PostSignedAsync(client, id, body[..^2], W1Signature);
        var reserialized = await PostSignedAsync(client, id, Utf8(JsonSerializer.Serialize(JsonDocument.Parse(W1).RootElement, Indented)), W1Signature);
        var malformed = await PostSignedAsync(client, id, body, "sha256=zz" + W1Signature[9..]);
        Assert.All([unsigned, wrong, truncated, reserialized, malformed], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));

        var signed = await PostSignedAsync(client, id, body, W1Signature);

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "W1 in the inbox");
        var received = Inbox.Received[0];
        Assert.Equal(ChannelType.WhatsApp, received.Channel);
        Assert.Equal("Hola", received.Message.Text);
        Assert.Equal(Maria, received.Message.ConversationKey);
        Assert.Equal("Maria Lopez", received.Message.Sender.DisplayName);
        Assert.Equal("+34600111222", received.Message.Sender.PhoneNumber);
        Assert.DoesNotContain("Hola", await ScalarAsync("SELECT \"Payload\" FROM \"InboundEnvelopes\""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escaped_non_ascii_text_is_verified_on_the_bytes_as_delivered()
    {
        var (id, _, _) = await ConnectAsync(Admin, _graph);
        var body = Utf8(W1.Replace("Hola", "\\u00a1Hola, se\\u00f1or!", StringComparison.Ordinal));

        var response = await PostSignedAsync(Host.CreateClient(), id, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "the message");
        Assert.Equal("¡Hola, señor!", Inbox.Received[0].Message.Text);
    }

    [Fact]
    public async Task A_batch_for_two_numbers_with_messages_and_statuses_is_routed_by_phone_number_id_and_unknown_numbers_are_dropped()
    {
        const string second = "200000000000003";
        _graph.AddPhoneNumber(second, "15550002222");
        var (first, _, _) = await ConnectAsync(Admin, _graph);
        var (other, _, _) = await ConnectAsync(Admin, _graph, second, "Sales number");
        var body = Body(
            Change(FakeWhatsAppGraphApi.DefaultPhoneNumberId, [Text("wamid.A1", "first number, one"), Text("wamid.A2", "first number, two", 1)]),
            Change(second, [Text("wamid.B1", "second number")], [Status("wamid.UNKNOWN", "delivered")]),
            Change("299999999999999", [Text("wamid.C1", "nobody's number")]));

        var response = await PostSignedAsync(Host.CreateClient(), first, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Inbox.WaitUntilAsync(i => i.Received.Count == 3, what: "the three routed messages");
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
        Assert.Equal(["wamid.A1", "wamid.A2"], Inbox.Received.Where(r => r.ConnectionId == first).Select(r => r.Message.ProviderMessageId).Order());
        Assert.Equal("wamid.B1", Assert.Single(Inbox.Received, r => r.ConnectionId == other).Message.ProviderMessageId);
        Assert.DoesNotContain(Inbox.Received, r => r.Message.ProviderMessageId == "wamid.C1");
    }

    [Fact]
    public async Task A_number_of_another_app_secret_does_not_share_the_webhook()
    {
        const string second = "200000000000004";
        _graph.AddPhoneNumber(second, "15550003333");
        var (first, _, _) = await ConnectAsync(Admin, _graph);
        var response = await Admin.PostJsonAsync("/api/v1/channels", new
        {
            type = "whatsapp", name = "Other app", phoneNumberId = second, businessAccountId = "1", accessToken = _graph.Token,
            appSecret = "another-app-secret", baseUrl = _graph.BaseUrl.ToString(),
        });
        await response.ReadAsync<Created>(HttpStatusCode.Created);

        await PostSignedAsync(Host.CreateClient(), first, Body(Change(second, [Text("wamid.X1", "to the other app")])));

        await Task.Delay(500);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
    }

    [Fact]
    public async Task Duplicate_deliveries_of_one_wamid_are_stored_and_received_once()
    {
        var (id, _, _) = await ConnectAsync(Admin, _graph);
        var body = Utf8(W1);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostSignedAsync(Host.CreateClient(), id, body, W1Signature)));
        var again = await PostSignedAsync(Host.CreateClient(), id, Body(Change(FakeWhatsAppGraphApi.DefaultPhoneNumberId, [Text("wamid.TEST0001", "Hola")])));

        Assert.All(responses.Append(again), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
        await Inbox.WaitUntilAsync(i => i.Calls.Count >= 1, what: "the message");
        await Task.Delay(300);
        Assert.Single(Inbox.Calls);
    }

    [Fact]
    public async Task Inbound_media_is_fetched_with_the_bearer_token_and_stored()
    {
        var (id, _, _) = await ConnectAsync(Admin, _graph);
        _graph.AddMedia("900000000000001", Encoding.ASCII.GetBytes("FAKE-JPEG-BYTES-0001"), "image/jpeg");
        var image = new
        {
            from = Maria, id = "wamid.TEST0002", timestamp = Timestamp(0), type = "image",
            image = new { caption = "Damaged box, order 4711", mime_type = "image/jpeg", sha256 = "6f7fP1Lju1elAmk8MJXvGB/PHNo+bo6F5dR284+bUKE=", id = "900000000000001" },
        };

        await PostSignedAsync(Host.CreateClient(), id, Body(Change(FakeWhatsAppGraphApi.DefaultPhoneNumberId, [image])));

        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "the image");
        var message = Inbox.Received[0].Message;
        Assert.Equal(MessageKind.Image, message.Kind);
        Assert.Equal("Damaged box, order 4711", message.Text);
        var file = Assert.Single(message.Attachments);
        Assert.Equal(20, file.SizeBytes);
        Assert.NotNull(file.StorageKey);
        Assert.Contains(_graph.Calls, c => c.Path == "/_media/900000000000001");
    }
}
