using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.IntegrationTests.Channels;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Lifecycle;

/// <summary>
/// The log soak: a worker host with every log category at Information, a customer talking to a published flow over
/// the Telegram webhook, an agent answering, the CRM searched and read, tokens issued and refreshed; then not one
/// secret or piece of personal data the test used may appear anywhere in what was logged.
/// </summary>
public class LogSoakTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string CustomerFirstName = "Zofiabelle";
    private const string CustomerLastName = "Quartermaine";
    private const string CustomerChat = "5550009876";
    private const string CustomerGreeting = "Hello there, my parcel never arrived at Wisteria Lane";
    private const string CustomerEmail = "zofiabelle.q@example.org";
    private const string AgentReply = "Your parcel 88412 left the depot on Tuesday";
    private const string ContactName = "Henrietta Soakworth";
    private const string ContactPhone = "+14155550199";
    private const string ContactEmail = "henrietta.soakworth@example.org";

    private readonly LogCapture _log = new();

    protected override void ConfigureHost(IWebHostBuilder host)
    {
        RunFlowWorkers(host);
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Update", "System" })
            host.UseSetting($"Logging:LogLevel:{category}", "Information");
        host.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(_log)));
    }

    [Fact]
    public async Task A_day_of_channel_flow_and_crm_traffic_logs_no_token_secret_text_name_phone_or_email()
    {
        var signIn = await SignInThroughWorkerHostAsync();
        var (teamId, _) = await SupportTeamAsync();
        await PublishAsync(MenuGraph(teamId), "Support menu");

        await CustomerWritesAsync(3001, CustomerGreeting);
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("chat_id") == CustomerChat);
        await CustomerPressesAsync("order");
        await CustomerWritesAsync(3002, CustomerEmail);
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("chat_id") == CustomerChat && (c.Text("text") ?? "").Contains(CustomerEmail, StringComparison.Ordinal));

        var conversation = (await ConversationAsync()).GetProperty("id").GetGuid();
        (await Admin.PostJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = AgentReply })).EnsureSuccessStatusCode();
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == AgentReply);
        (await Admin.GetAsync($"/api/v1/conversations/{conversation}/messages?limit=100")).EnsureSuccessStatusCode();

        var contact = await (await Admin.PostJsonAsync("/api/v1/contacts", new { displayName = ContactName, phoneNumbers = new[] { ContactPhone }, emails = new[] { ContactEmail } }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        (await Admin.GetAsync("/api/v1/contacts?search=" + Uri.EscapeDataString(ContactPhone))).EnsureSuccessStatusCode();
        (await Admin.GetAsync("/api/v1/contacts?search=" + Uri.EscapeDataString(ContactEmail))).EnsureSuccessStatusCode();
        (await Admin.GetAsync($"/api/v1/contacts/{contact.GetProperty("id").GetGuid()}")).EnsureSuccessStatusCode();
        (await Admin.GetAsync($"/api/v1/contacts/{contact.GetProperty("id").GetGuid()}/timeline")).EnsureSuccessStatusCode();
        var refused = await Admin.PostJsonAsync("/api/v1/contacts", new { displayName = ContactName, phoneNumbers = new[] { "not a phone " + ContactPhone } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        Assert.NotEmpty(_log.Lines);
        Assert.Contains(_log.Lines, l => l.Contains("Microsoft.Extensions.Http.Logging", StringComparison.Ordinal) || l.Contains("HttpClient", StringComparison.Ordinal));
        var telegramSecretPart = Telegram.Token[(Telegram.Token.IndexOf(':', StringComparison.Ordinal) + 1)..];
        string[] forbidden =
        [
            Telegram.Token, telegramSecretPart, TelegramConnection.InboundSecret,
            Workspace.Owner.Token.AccessToken, signIn.AccessToken, signIn.RefreshToken!, TestWorkspace.Password,
            CustomerFirstName, CustomerLastName, CustomerGreeting, "Wisteria", CustomerEmail, AgentReply,
            ContactName, "Soakworth", ContactPhone, ContactPhone[2..], ContactEmail, Workspace.Owner.Email,
        ];
        foreach (var value in forbidden)
            Assert.True(_log.Containing(value).Count == 0, $"The log holds '{value}':\n" + string.Join("\n", _log.Containing(value).Take(5)));
    }

    /// <summary>Password and refresh grants against the worker host, so the token server's own logging is captured.</summary>
    private async Task<TokenResponse> SignInThroughWorkerHostAsync()
    {
        var client = Host.CreateClient();
        var first = await client.PostAsync("/connect/token", TestIdentity.PasswordForm(Workspace.Owner.Email, TestWorkspace.Password, Workspace.Id));
        var token = TestIdentity.ReadToken(await first.Content.ReadAsStringAsync());
        var refreshed = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "oneinbox-cli",
            ["refresh_token"] = token.RefreshToken!,
        }));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var wrong = await client.PostAsync("/connect/token", TestIdentity.PasswordForm(Workspace.Owner.Email, "wrong " + TestWorkspace.Password, Workspace.Id));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        return token;
    }

    private async Task CustomerWritesAsync(int messageId, string text)
    {
        var update = $$"""
            { "update_id": {{NextUpdateId()}},
              "message": {
                "message_id": {{messageId}},
                "from": { "id": {{CustomerChat}}, "is_bot": false, "first_name": "{{CustomerFirstName}}", "last_name": "{{CustomerLastName}}" },
                "chat": { "id": {{CustomerChat}}, "type": "private", "first_name": "{{CustomerFirstName}}", "last_name": "{{CustomerLastName}}" },
                "date": {{Date(messageId)}},
                "text": {{JsonSerializer.Serialize(text)}} } }
            """;
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(TelegramConnection.Connection.Id, update, TelegramConnection.InboundSecret)).StatusCode);
    }

    private async Task CustomerPressesAsync(string payload)
    {
        var id = NextUpdateId();
        var update = $$"""
            { "update_id": {{id}},
              "callback_query": {
                "id": "99{{id}}",
                "from": { "id": {{CustomerChat}}, "is_bot": false, "first_name": "{{CustomerFirstName}}" },
                "message": { "message_id": 1, "chat": { "id": {{CustomerChat}}, "type": "private" }, "date": {{Date(id % 100000)}}, "text": "menu" },
                "chat_instance": "-81234", "data": "{{payload}}" } }
            """;
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(TelegramConnection.Connection.Id, update, TelegramConnection.InboundSecret)).StatusCode);
    }
}
