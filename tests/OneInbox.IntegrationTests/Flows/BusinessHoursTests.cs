using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Flows;

/// <summary>
/// The workspace's time zone and business hours, set over the API as the Studio's workspace settings do, decide which
/// way a published flow's business-hours step goes when the step names no calendar of its own.
/// </summary>
public class BusinessHoursTests(OneInboxApp app) : LiveFlowTest(app)
{
    private static readonly string[] Week = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    [Fact]
    public async Task A_new_workspace_opens_on_weekdays_and_bad_settings_are_refused_field_by_field_without_changing_anything()
    {
        var initial = await (await Admin.GetAsync("/api/v1/workspace")).ReadAsync<JsonElement>();
        Assert.Equal("UTC", initial.GetProperty("timeZone").GetString());
        var weekly = initial.GetProperty("businessHours").GetProperty("weekly").EnumerateArray().ToList();
        Assert.Equal(Week[..5], weekly.Select(w => w.GetProperty("day").GetString()));
        Assert.All(weekly, w => Assert.Equal(("09:00", "17:00"), (w.GetProperty("open").GetString(), w.GetProperty("close").GetString())));

        var zone = await (await Admin.PatchJsonAsync("/api/v1/workspace", new { timeZone = "Mars/Olympus_Mons" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Mars/Olympus_Mons", zone.GetProperty("errors").GetProperty("timeZone")[0].GetString(), StringComparison.Ordinal);

        var backwards = await (await Admin.PatchJsonAsync("/api/v1/workspace", new
        {
            timeZone = "Europe/Berlin",
            businessHours = new { weekly = new[] { new { day = "monday", open = "17:00", close = "09:00" } }, holidays = new[] { "2026-12-25" } },
        })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(backwards.GetProperty("errors").EnumerateObject(), e => e.Name.StartsWith("businessHours.Weekly[0]", StringComparison.Ordinal)
            && e.Value[0].GetString() == "Closing time must be after the opening time.");

        var badDate = await (await Admin.PatchJsonAsync("/api/v1/workspace", new
        {
            businessHours = new { weekly = Array.Empty<object>(), holidays = new[] { "25.12.2026" } },
        })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(badDate.GetProperty("errors").EnumerateObject(), e => e.Value[0].GetString()!.Contains("yyyy-MM-dd", StringComparison.Ordinal));

        var auditor = await Workspace.ClientAsync(WorkspaceRole.Auditor);
        await (await auditor.PatchJsonAsync("/api/v1/workspace", new { timeZone = "Europe/Berlin" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var after = await (await auditor.GetAsync("/api/v1/workspace")).ReadAsync<JsonElement>();
        Assert.Equal(initial.GetProperty("timeZone").GetString(), after.GetProperty("timeZone").GetString());
        Assert.Equal(initial.GetProperty("businessHours").GetRawText(), after.GetProperty("businessHours").GetRawText());
        Assert.Equal("Acme", after.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Hours_are_kept_in_order_and_a_change_of_name_leaves_them_alone()
    {
        var saved = await (await Admin.PatchJsonAsync("/api/v1/workspace", new
        {
            timeZone = "America/New_York",
            businessHours = new
            {
                weekly = new[]
                {
                    new { day = "Saturday", open = "10:00", close = "14:00" },
                    new { day = "monday", open = "13:00", close = "18:00" },
                    new { day = "monday", open = "08:30", close = "12:00" },
                },
                holidays = new[] { "2026-12-25", "2026-07-04", "2026-12-25" },
            },
        })).ReadAsync<JsonElement>();
        await (await Admin.PatchJsonAsync("/api/v1/workspace", new { name = "Acme Inc." })).ReadAsync<JsonElement>();

        var read = await (await Admin.GetAsync("/api/v1/workspace")).ReadAsync<JsonElement>();
        Assert.Equal("Acme Inc.", read.GetProperty("name").GetString());
        Assert.Equal("America/New_York", read.GetProperty("timeZone").GetString());
        Assert.Equal(saved.GetProperty("businessHours").GetRawText(), read.GetProperty("businessHours").GetRawText());
        var hours = read.GetProperty("businessHours");
        Assert.Equal(["monday 08:30-12:00", "monday 13:00-18:00", "saturday 10:00-14:00"],
            hours.GetProperty("weekly").EnumerateArray().Select(w => $"{w.GetProperty("day").GetString()} {w.GetProperty("open").GetString()}-{w.GetProperty("close").GetString()}"));
        Assert.Equal(["2026-07-04", "2026-12-25"], hours.GetProperty("holidays").EnumerateArray().Select(h => h.GetString()));
    }

    [Fact]
    public async Task A_flow_asking_for_business_hours_follows_the_workspace_calendar_and_its_closed_dates()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"hours",
             "nodes":[{"id":"hours","type":"BusinessHours","typeVersion":1,"inputs":{}},
                      {"id":"open","type":"SendMessage","typeVersion":1,"inputs":{"text":"We are open, an agent will answer shortly."}},
                      {"id":"closed","type":"SendMessage","typeVersion":1,"inputs":{"text":"We are closed today; we answer on the next working day."}}],
             "edges":[{"source":"hours","sourcePort":"open","target":"open"},{"source":"hours","sourcePort":"closed","target":"closed"}]}
            """)!, "Opening hours");

        // Open every day from 00:00 to 23:59 in a zone whose clock is not in its last minute of the day right now.
        var zone = new[] { "Pacific/Kiritimati", "America/Los_Angeles" }
            .First(id => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(id)).TimeOfDay < new TimeSpan(23, 58, 0));
        var everyDay = Week.Select(d => new { day = d, open = "00:00", close = "23:59" }).ToArray();
        var open = await (await Admin.PatchJsonAsync("/api/v1/workspace", new { timeZone = zone, businessHours = new { weekly = everyDay, holidays = Array.Empty<string>() } }))
            .ReadAsync<JsonElement>();
        Assert.True(open.GetProperty("openNow").GetBoolean());

        await WriteAsync(7001, "Hello, anyone there?");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "We are open, an agent will answer shortly.");

        // Today in the workspace's zone (with the days around it, so the test does not race midnight) is closed.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);
        var closedDates = new[] { today.AddDays(-1), today, today.AddDays(1) }.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        var closed = await (await Admin.PatchJsonAsync("/api/v1/workspace", new { businessHours = new { weekly = everyDay, holidays = closedDates } }))
            .ReadAsync<JsonElement>();
        Assert.False(closed.GetProperty("openNow").GetBoolean());

        await WriteAsync(7002, "Hello again?");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "We are closed today; we answer on the next working day.");

        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();
        var page = await (await Admin.GetAsync($"/api/v1/flow-instances?conversationId={conversationId}")).ReadAsync<JsonElement>();
        var instances = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        var steps = new List<JsonElement>();
        foreach (var id in instances)
        {
            var instance = await (await Admin.GetAsync($"/api/v1/flow-instances/{id}")).ReadAsync<JsonElement>();
            steps.Add(instance.GetProperty("journal").EnumerateArray().First());
        }
        Assert.Equal(["closed", "open"], steps.Select(s => s.GetProperty("outcome").GetString()).Order());
        Assert.All(steps, s => Assert.Equal("workspace", s.GetProperty("inputs").GetProperty("calendar").GetString()));
    }
}
