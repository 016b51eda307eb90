using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OneInbox.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class StudioBrowserTests(StudioServer server) : IAsyncLifetime
{
    private readonly ContractStandIn _api = new();
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _context = await server.NewContextAsync();
        await _api.AttachAsync(_context);
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Signing_in_uses_PKCE_and_lands_on_the_flows_list()
    {
        await SignInAsync();

        var token = Assert.Single(_api.TokenRequests);
        Assert.Equal("authorization_code", token["grant_type"]);
        Assert.Equal("oneinbox-studio", token["client_id"]);
        Assert.Equal("code-from-server", token["code"]);
        Assert.Equal($"{server.Address.ToString().TrimEnd('/')}/studio/callback", token["redirect_uri"]);
        Assert.Equal("S256", _api.AuthorizeRequest["code_challenge_method"]);
        Assert.Equal(Challenge(token["code_verifier"]), _api.AuthorizeRequest["code_challenge"]);
        Assert.Equal("openid offline_access api", _api.AuthorizeRequest["scope"]);
        await Expect(_page.GetByRole(AriaRole.Link, new() { Name = "Privacy policy" })).ToHaveAttributeAsync("href", "/privacy");
        await ScreenshotAsync("flows-list");
    }

    [Fact]
    public async Task Building_a_flow_from_the_palette_by_drag_and_drop_saves_its_graph()
    {
        var flowId = _api.AddFlow("Support triage", ContractStandIn.Empty());
        await SignInAsync();
        await _page.GetByRole(AriaRole.Link, new() { Name = "Support triage", Exact = true }).ClickAsync();
        await Expect(_page.GetByTestId("palette-SendMessage")).ToBeVisibleAsync();
        await CanvasReadyAsync();

        await DropAsync("SendMessage", 40, 20);
        await DropAsync("AskQuestion", 40, 170);
        await DropAsync("Decision", 330, 300);
        await DropAsync("HandOff", 330, 450);

        await ConfigureAsync("sendMessage1", "input-text", "Welcome to Acme!");
        await ConfigureAsync("askQuestion1", "input-question", "Sales or support?");
        await ConfigureAsync("decision1", "input-condition", "contact.isCustomer");
        await SelectNodeAsync("handOff1");
        await _page.GetByTestId("input-team").SelectOptionAsync(new SelectOptionValue { Label = "Support" });

        await ConnectAsync("port-sendMessage1-done", "askQuestion1");
        await ConnectAsync("port-askQuestion1-Support", "decision1");
        await ConnectAsync("port-decision1-true", "handOff1");
        await _page.Keyboard.PressAsync("Control+s");
        await Expect(_page.GetByTestId("save-state")).ToHaveTextAsync("Saved");

        var draft = _api.LastDraft!;
        Assert.Equal(["SendMessage", "AskQuestion", "Decision", "HandOff"], draft["nodes"]!.AsArray().Select(n => n!["type"]!.GetValue<string>()));
        Assert.Equal(["sendMessage1:done->askQuestion1", "askQuestion1:Support->decision1", "decision1:true->handOff1"],
            draft["edges"]!.AsArray().Select(e => $"{e!["source"]}:{e["sourcePort"]}->{e["target"]}"));
        var ask = draft["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "askQuestion1")!;
        Assert.Equal("Sales or support?", ask["inputs"]!["question"]!.GetValue<string>());
        Assert.Equal(["Sales", "Support"], ask["inputs"]!["choices"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("team-support", draft["nodes"]![3]!["inputs"]!["team"]!.GetValue<string>());
        Assert.NotNull(flowId);
        await ScreenshotAsync("designer-built-flow");
    }

    [Fact]
    public async Task A_validation_problem_is_shown_on_the_node_and_goes_away_once_fixed()
    {
        _api.AddFlow("Greeting", Graph(("greet", "SendMessage", new JsonObject { ["text"] = "" })));
        await OpenDesignerAsync("Greeting");

        await _page.GetByTestId("validate").ClickAsync();
        await Expect(_page.GetByTestId("problems")).ToContainTextAsync("text is required.");
        await Expect(_page.GetByTestId("node-greet")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("has-problems"));
        await ScreenshotAsync("designer-validation-problem");

        await _page.GetByTestId("problems").GetByRole(AriaRole.Button, new() { Name = "greet" }).ClickAsync();
        await _page.GetByTestId("input-text").FillAsync("Hello there");
        await _page.GetByTestId("validate").ClickAsync();

        await Expect(_page.GetByRole(AriaRole.Status).Filter(new() { HasText = "The flow is valid." })).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("node-greet")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("has-problems"));
    }

    [Fact]
    public async Task Simulating_a_conversation_shows_the_replies_and_highlights_the_path_then_publishes()
    {
        _api.AddFlow("Support triage", Graph(
            ("greet", "SendMessage", new JsonObject { ["text"] = "Welcome to Acme!" }),
            ("ask", "AskQuestion", new JsonObject { ["question"] = "Sales or support?", ["choices"] = new JsonArray("Sales", "Support") }),
            ("decide", "Decision", new JsonObject { ["condition"] = "true" }),
            ("handoff", "HandOff", new JsonObject { ["team"] = "team-support" })));
        await OpenDesignerAsync("Support triage");

        await _page.GetByTestId("tab-simulator").ClickAsync();
        await _page.GetByTestId("sim-start").ClickAsync();
        await Expect(_page.GetByTestId("sim-transcript")).ToContainTextAsync("Welcome to Acme!");
        await Expect(_page.GetByTestId("sim-transcript")).ToContainTextAsync("Sales or support?");
        await _page.GetByTestId("sim-button-Support").ClickAsync();

        await Expect(_page.GetByTestId("sim-handoff")).ToContainTextAsync("Customer asked for support");
        foreach (var node in new[] { "greet", "ask", "decide", "handoff" })
            await Expect(_page.GetByTestId($"node-{node}")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("on-path"));
        await ScreenshotAsync("designer-simulator");

        await _page.GetByTestId("publish").ClickAsync();
        await Expect(_page.GetByTestId("notice")).ToContainTextAsync("Published version 1.");
    }

    [Fact]
    public async Task An_exported_flow_imports_back_as_the_same_document()
    {
        _api.AddFlow("Support triage", Graph(("greet", "SendMessage", new JsonObject { ["text"] = "Hi" })));
        await SignInAsync();

        var download = await _page.RunAndWaitForDownloadAsync(() =>
            _page.GetByRole(AriaRole.Button, new() { Name = "Export Support triage" }).ClickAsync());
        var file = Path.Combine(StudioServer.ArtifactsPath, "exported.flow.json");
        await download.SaveAsAsync(file);
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        Assert.Equal("oneinbox-flow/1", exported["format"]!.GetValue<string>());

        await _page.GetByTestId("import-flow").SetInputFilesAsync(file);

        await Expect(_page.GetByRole(AriaRole.Link, new() { Name = "Support triage", Exact = true })).ToHaveCountAsync(2);
        Assert.True(JsonNode.DeepEquals(exported, _api.LastImport));
    }

    [Fact]
    public async Task An_instance_shows_the_path_it_took_and_its_journal()
    {
        await SignInAsync();
        await _page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Instances" }).ClickAsync();
        await _page.GetByTestId("instance-inst-1").ClickAsync();

        var journal = _page.GetByTestId("journal");
        await Expect(journal).ToContainTextAsync("Sales or support?");
        await Expect(journal.GetByRole(AriaRole.Row).Nth(2)).ToContainTextAsync("Support");
        await Expect(_page.GetByTestId("node-ask")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("on-path"));
        await Expect(_page.GetByTestId("instance-status")).ToHaveTextAsync("handedOff");
        await ScreenshotAsync("instance-journal");
    }

    [Fact]
    public async Task An_auditor_sees_the_designer_read_only()
    {
        _api.Role = "Auditor";
        _api.AddFlow("Greeting", Graph(("greet", "SendMessage", new JsonObject { ["text"] = "Hi" })));
        await OpenDesignerAsync("Greeting");

        await Expect(_page.GetByTestId("save-state")).ToHaveTextAsync("Read-only");
        await Expect(_page.GetByTestId("publish")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("palette-SendMessage")).ToHaveCountAsync(0);
        await SelectNodeAsync("greet");
        await Expect(_page.GetByTestId("input-text")).ToHaveAttributeAsync("readonly", "");
    }

    [Fact]
    public async Task Designer_shortcuts_copy_paste_undo_redo_delete_and_save()
    {
        _api.AddFlow("Greeting", Graph(
            ("greet", "SendMessage", new JsonObject { ["text"] = "Hi" }),
            ("ask", "AskQuestion", new JsonObject { ["question"] = "Sales or support?", ["choices"] = new JsonArray("Sales", "Support") })));
        await OpenDesignerAsync("Greeting");
        var nodes = _page.Locator(".react-flow__node");
        await Expect(nodes).ToHaveCountAsync(2);

        await SelectNodeAsync("greet");
        await _page.Keyboard.PressAsync("Control+c");
        await _page.Keyboard.PressAsync("Control+v");
        await Expect(nodes).ToHaveCountAsync(3);
        await Expect(_page.GetByTestId("node-sendMessage1")).ToBeVisibleAsync();

        await _page.Keyboard.PressAsync("Control+z");
        await Expect(nodes).ToHaveCountAsync(2);
        await _page.Keyboard.PressAsync("Control+Shift+z");
        await Expect(nodes).ToHaveCountAsync(3);

        await SelectNodeAsync("sendMessage1");
        await _page.Keyboard.PressAsync("Delete");
        await Expect(nodes).ToHaveCountAsync(2);
        await _page.Keyboard.PressAsync("Control+s");
        await Expect(_page.GetByTestId("save-state")).ToHaveTextAsync("Saved");
        Assert.Equal(["greet", "ask"], _api.LastDraft!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Dropping_a_connection_on_empty_canvas_offers_the_next_activity()
    {
        _api.AddFlow("Greeting", Graph(("greet", "SendMessage", new JsonObject { ["text"] = "Hi" })));
        await OpenDesignerAsync("Greeting");

        var port = (await _page.GetByTestId("port-greet-done").BoundingBoxAsync())!;
        await _page.Mouse.MoveAsync(port.X + port.Width / 2, port.Y + port.Height / 2);
        await _page.Mouse.DownAsync();
        await _page.Mouse.MoveAsync(port.X + 40, port.Y + 180, new() { Steps = 12 });
        await _page.Mouse.UpAsync();

        var picker = _page.GetByRole(AriaRole.Dialog, new() { Name = "Choose the next activity" });
        await picker.GetByRole(AriaRole.Searchbox).FillAsync("hand");
        await picker.GetByTestId("picker-HandOff").ClickAsync();

        await Expect(_page.GetByTestId("node-handOff1")).ToBeVisibleAsync();
        await Expect(_page.Locator(".react-flow__edge[data-id='greet:done->handOff1']")).ToHaveCountAsync(1);
        await Expect(picker).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_200_node_flow_opens_and_edits_without_lag()
    {
        var chain = Enumerable.Range(0, 200).Select(i => ($"n{i}", "SendMessage", new JsonObject { ["text"] = $"Step {i}" })).ToArray();
        var graph = Graph(chain);
        // Ten columns of twenty, so the fitted view shows every node.
        foreach (var node in graph["nodes"]!.AsArray())
        {
            var i = int.Parse(node!["id"]!.GetValue<string>()[1..], System.Globalization.CultureInfo.InvariantCulture);
            node["position"] = new JsonObject { ["x"] = i % 10 * 260, ["y"] = i / 10 * 140 };
        }
        _api.AddFlow("Big flow", graph);
        await SignInAsync();

        var opening = System.Diagnostics.Stopwatch.StartNew();
        await _page.GetByRole(AriaRole.Link, new() { Name = "Big flow", Exact = true }).ClickAsync();
        await Expect(_page.GetByTestId("node-n0")).ToBeVisibleAsync();
        await CanvasReadyAsync();
        opening.Stop();

        await SelectNodeAsync("n0");
        var field = _page.GetByTestId("input-text");
        await field.FillAsync(string.Empty);
        var typing = System.Diagnostics.Stopwatch.StartNew();
        await field.PressSequentiallyAsync("Welcome to the big flow");
        await Expect(field).ToHaveValueAsync("Welcome to the big flow");
        typing.Stop();

        var layout = System.Diagnostics.Stopwatch.StartNew();
        await _page.GetByTestId("auto-layout").ClickAsync();
        await Expect(_page.GetByTestId("save-state")).ToHaveTextAsync("Unsaved changes");
        layout.Stop();

        await File.WriteAllTextAsync(Path.Combine(StudioServer.ArtifactsPath, "performance-200-nodes.txt"),
            $"open designer: {opening.ElapsedMilliseconds} ms\ntype 23 characters: {typing.ElapsedMilliseconds} ms\nauto-layout: {layout.ElapsedMilliseconds} ms\n");
        Assert.True(opening.ElapsedMilliseconds < 5000, $"opening took {opening.ElapsedMilliseconds} ms");
        Assert.True(typing.ElapsedMilliseconds < 5000, $"typing took {typing.ElapsedMilliseconds} ms");
        await ScreenshotAsync("designer-200-nodes");
    }

    [Fact]
    public async Task Switching_workspace_gets_a_token_for_the_chosen_one()
    {
        _api.OtherWorkspaces.Add(("w2", "Globex", "Auditor"));
        await SignInAsync();

        await _page.GetByTestId("workspace-switcher").SelectOptionAsync("w2");

        await Expect(_page.GetByText("Ada Admin · Auditor")).ToBeVisibleAsync();
        Assert.Equal("w2", _api.TokenRequests.Last()["workspace_id"]);
        Assert.Equal("refresh_token", _api.TokenRequests.Last()["grant_type"]);
        await Expect(_page.GetByTestId("create-flow")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Signing_out_revokes_the_refresh_token_and_forgets_the_session()
    {
        await SignInAsync();

        await _page.GetByTestId("sign-out").ClickAsync();
        await _page.WaitForURLAsync("**/connect/endsession");
        Assert.True(_api.Revoked);

        await _page.GotoAsync("/studio/");
        await Expect(_page.GetByTestId("sign-in")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_refused_request_shows_the_problem_the_server_described()
    {
        _api.AddFlow("Greeting", ContractStandIn.Empty());
        await SignInAsync();

        await _page.GetByLabel("New flow name").FillAsync("Greeting");
        await _page.GetByTestId("create-flow").ClickAsync();

        var banner = _page.GetByTestId("error-banner");
        await Expect(banner).ToContainTextAsync("Conflict.");
        await Expect(banner).ToContainTextAsync("A flow named Greeting already exists.");
    }

    [Fact]
    public async Task Rolling_back_publishes_an_earlier_version_again()
    {
        var id = _api.AddFlow("Greeting", Graph(("greet", "SendMessage", new JsonObject { ["text"] = "Hi" })));
        _api.SetPublished(id, 2);
        await OpenDesignerAsync("Greeting");

        await _page.GetByTestId("tab-versions").ClickAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Roll back to version 1" }).ClickAsync();

        await Expect(_page.GetByTestId("notice")).ToContainTextAsync("Rolled back");
        Assert.Equal(1, _api.RolledBackTo);
        await Expect(_page.GetByText("Live: v3")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_faulted_instance_shows_its_incident_and_retries_it()
    {
        _api.InstanceFaulted = true;
        await SignInAsync();
        await _page.GotoAsync("/studio/instances/inst-1");

        await Expect(_page.GetByTestId("instance-status")).ToHaveTextAsync("faulted");
        await Expect(_page.GetByTestId("node-handoff")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("has-problems"));
        await _page.GetByTestId("retry-inc-1").ClickAsync();

        await Expect(_page.GetByTestId("instance-status")).ToHaveTextAsync("handedOff");
        Assert.Equal(["inc-1"], _api.RetriedIncidents);
    }

    [Fact]
    public async Task A_flow_can_be_extended_with_the_keyboard_alone()
    {
        _api.AddFlow("Greeting", Graph(("greet", "SendMessage", new JsonObject { ["text"] = "Hi" })));
        await OpenDesignerAsync("Greeting");

        await _page.GetByRole(AriaRole.Button, new() { Name = "Add Hand off" }).FocusAsync();
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.GetByRole(AriaRole.Form, new() { Name = "Properties of handOff1" })).ToBeVisibleAsync();
        await _page.GetByLabel("Team").FocusAsync();
        await _page.Keyboard.PressAsync("ArrowDown");

        await _page.GetByTestId("rf__node-greet").FocusAsync();
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.GetByRole(AriaRole.Form, new() { Name = "Properties of greet" })).ToBeVisibleAsync();
        await _page.GetByLabel("After “done”").SelectOptionAsync("handOff1");

        await Expect(_page.Locator(".react-flow__edge[data-id='greet:done->handOff1']")).ToHaveCountAsync(1);
        await _page.Keyboard.PressAsync("Control+s");
        await Expect(_page.GetByTestId("save-state")).ToHaveTextAsync("Saved");
        Assert.Equal("team-support", _api.LastDraft!["nodes"]![1]!["inputs"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public async Task Flow_settings_rename_and_reprioritise_the_flow()
    {
        var id = _api.AddFlow("Greeting", Graph(("greet", "SendMessage", new JsonObject { ["text"] = "Hi" })));
        await OpenDesignerAsync("Greeting");

        await _page.GetByTestId("tab-settings").ClickAsync();
        await _page.GetByTestId("flow-name").FillAsync("Greeting v2");
        await _page.GetByTestId("flow-priority").FillAsync("5");
        await _page.GetByTestId("save-settings").ClickAsync();

        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Greeting v2" })).ToBeVisibleAsync();
        Assert.Equal(5, _api.Flow(id)["priority"]!.GetValue<int>());
    }

    private async Task SignInAsync()
    {
        await _page.GotoAsync("/studio/");
        await _page.GetByTestId("sign-in").ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Flows" })).ToBeVisibleAsync();
    }

    private async Task OpenDesignerAsync(string flowName)
    {
        await SignInAsync();
        await _page.GetByRole(AriaRole.Link, new() { Name = flowName, Exact = true }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = flowName })).ToBeVisibleAsync();
        await CanvasReadyAsync();
    }

    /// <summary>The canvas has fitted the loaded flow into view; clicks before that could land where a node was.</summary>
    private async Task CanvasReadyAsync() =>
        await Expect(_page.GetByTestId("canvas")).ToHaveAttributeAsync("data-ready", "true");

    private async Task DropAsync(string activityType, float x, float y) =>
        await _page.GetByTestId($"palette-{activityType}").DragToAsync(_page.GetByTestId("canvas"), new() { TargetPosition = new() { X = x, Y = y } });

    private async Task SelectNodeAsync(string nodeId)
    {
        await _page.GetByTestId($"node-{nodeId}").Locator(".activity-title").ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Form, new() { Name = $"Properties of {nodeId}" })).ToBeVisibleAsync();
    }

    private async Task ConfigureAsync(string nodeId, string field, string value)
    {
        await SelectNodeAsync(nodeId);
        await _page.GetByTestId(field).FillAsync(value);
    }

    private async Task ConnectAsync(string sourcePortTestId, string targetNodeId)
    {
        var from = (await _page.GetByTestId(sourcePortTestId).BoundingBoxAsync())!;
        var to = (await _page.Locator($".react-flow__node[data-id='{targetNodeId}'] .react-flow__handle.target").BoundingBoxAsync())!;
        await _page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + from.Height / 2);
        await _page.Mouse.DownAsync();
        await _page.Mouse.MoveAsync(to.X + to.Width / 2, to.Y + to.Height / 2, new() { Steps = 12 });
        await _page.Mouse.UpAsync();
        await Expect(_page.Locator($".react-flow__edge[data-id^='{sourcePortTestId["port-".Length..].Replace("-", ":", StringComparison.Ordinal)}->']"))
            .ToHaveCountAsync(1);
    }

    private async Task ScreenshotAsync(string name) =>
        await _page.ScreenshotAsync(new() { Path = Path.Combine(StudioServer.ArtifactsPath, $"{name}.png") });

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A chain of activities, each one's first outcome leading to the next, laid out top to bottom.</summary>
    private static JsonObject Graph(params (string Id, string Type, JsonObject Inputs)[] nodes)
    {
        var graph = ContractStandIn.Empty();
        var ports = new Dictionary<string, string> { ["SendMessage"] = "done", ["AskQuestion"] = "Support", ["Decision"] = "true" };
        for (var i = 0; i < nodes.Length; i++)
        {
            var (id, type, inputs) = nodes[i];
            graph["nodes"]!.AsArray().Add(new JsonObject
            {
                ["id"] = id, ["type"] = type, ["typeVersion"] = 1, ["inputs"] = inputs, ["position"] = new JsonObject { ["x"] = 40, ["y"] = i * 140 },
            });
            if (i + 1 < nodes.Length)
                graph["edges"]!.AsArray().Add(new JsonObject { ["source"] = id, ["sourcePort"] = ports[type], ["target"] = nodes[i + 1].Id });
        }
        return graph;
    }
}
