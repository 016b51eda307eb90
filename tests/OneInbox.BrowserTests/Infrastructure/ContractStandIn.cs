using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Playwright;

namespace OneInbox.BrowserTests.Infrastructure;

/// <summary>
/// Answers the flows API and the OAuth endpoints by their contract, inside the browser's network layer,
/// until the engine's and the identity branches are merged into this one; then these tests switch to the
/// real endpoints. It keeps what the Studio sent so tests can check it, and runs a draft far enough for the
/// simulator: messages, questions with buttons, decisions on `true`, hand-off.
/// </summary>
public sealed class ContractStandIn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, JsonObject> _flows = [];
    private readonly Dictionary<string, (string FlowId, List<string> Path, JsonArray Transcript, string? Waiting)> _runs = [];
    private int _nextId = 1;

    public string Role { get; set; } = "Admin";

    /// <summary>Workspaces of the signed-in user besides Acme (id w1).</summary>
    public List<(string Id, string Name, string Role)> OtherWorkspaces { get; } = [];

    public bool Revoked { get; private set; }

    public int? RolledBackTo { get; private set; }

    public List<string> RetriedIncidents { get; } = [];

    /// <summary>Makes the one instance faulted on its hand-off, with an open incident.</summary>
    public bool InstanceFaulted { get; set; }

    private string _activeWorkspace = "w1";

    public List<Dictionary<string, string>> TokenRequests { get; } = [];

    public Dictionary<string, string> AuthorizeRequest { get; } = [];

    public JsonObject? LastDraft { get; private set; }

    public JsonObject? LastImport { get; private set; }

    public JsonObject Flow(string id) => _flows[id];

    public static readonly JsonArray Descriptors = JsonNode.Parse("""
        [
          {"type":"SendMessage","typeVersion":1,"displayName":"Send message","category":"Messaging","description":"Sends a text.","icon":null,
           "inputs":[{"name":"text","displayName":"Text","kind":"template","required":true,"defaultValue":null,"options":null,"hint":"Liquid placeholders allowed"}],
           "outcomes":["done"],"dynamicOutcomes":null},
          {"type":"AskQuestion","typeVersion":1,"displayName":"Ask question","category":"Messaging","description":"Asks and waits.","icon":null,
           "inputs":[{"name":"question","displayName":"Question","kind":"template","required":true,"defaultValue":null,"options":null,"hint":null},
                     {"name":"choices","displayName":"Choices","kind":"choices","required":true,"defaultValue":["Sales","Support"],"options":null,"hint":null}],
           "outcomes":[],"dynamicOutcomes":{"fromInput":"choices","extra":["invalid"]}},
          {"type":"Decision","typeVersion":1,"displayName":"Decision","category":"Logic","description":"Branches on a condition.","icon":null,
           "inputs":[{"name":"condition","displayName":"Condition","kind":"expression","required":true,"defaultValue":null,"options":null,"hint":null}],
           "outcomes":["true","false"],"dynamicOutcomes":null},
          {"type":"HandOff","typeVersion":1,"displayName":"Hand off","category":"Routing","description":"Hands over to a person.","icon":null,
           "inputs":[{"name":"team","displayName":"Team","kind":"team","required":true,"defaultValue":null,"options":null,"hint":null}],
           "outcomes":["done"],"dynamicOutcomes":null}
        ]
        """)!.AsArray();

    public async Task AttachAsync(IBrowserContext context)
    {
        await context.RouteAsync("**/connect/authorize**", AuthorizeAsync);
        await context.RouteAsync("**/connect/token", TokenAsync);
        await context.RouteAsync("**/connect/revoke", route =>
        {
            Revoked = route.Request.PostData?.Contains("token=refresh-", StringComparison.Ordinal) == true;
            return route.FulfillAsync(new RouteFulfillOptions { Status = 200 });
        });
        await context.RouteAsync("**/connect/endsession", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<p>Signed out</p>" }));
        await context.RouteAsync("**/api/v1/**", ApiAsync);
    }

    public string AddFlow(string name, JsonObject graph)
    {
        var id = $"flow-{_nextId++}";
        _flows[id] = new JsonObject
        {
            ["id"] = id, ["name"] = name, ["description"] = null, ["priority"] = 0, ["publishedVersion"] = null,
            ["hasUnpublishedChanges"] = true, ["runningInstances"] = 0, ["updatedAt"] = "2026-11-26T04:00:00Z", ["graph"] = graph,
        };
        return id;
    }

    public void SetPublished(string flowId, int version)
    {
        _flows[flowId]["publishedVersion"] = version;
        _flows[flowId]["hasUnpublishedChanges"] = false;
    }

    private Task AuthorizeAsync(IRoute route)
    {
        var query = HttpUtility.ParseQueryString(new Uri(route.Request.Url).Query);
        foreach (var key in query.AllKeys)
            AuthorizeRequest[key!] = query[key]!;
        var callback = $"{query["redirect_uri"]}?code=code-from-server&state={Uri.EscapeDataString(query["state"] ?? string.Empty)}";
        return route.FulfillAsync(new RouteFulfillOptions { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = callback } });
    }

    private Task TokenAsync(IRoute route)
    {
        var form = HttpUtility.ParseQueryString(route.Request.PostData ?? string.Empty);
        TokenRequests.Add(form.AllKeys.ToDictionary(k => k!, k => form[k]!));
        if (form["workspace_id"] is { } workspace)
            _activeWorkspace = workspace;
        return Ok(route, new { access_token = $"access-{TokenRequests.Count}", refresh_token = $"refresh-{TokenRequests.Count}", expires_in = 3600 });
    }

    private async Task ApiAsync(IRoute route)
    {
        var request = route.Request;
        var path = new Uri(request.Url).AbsolutePath["/api/v1/".Length..].TrimEnd('/');
        var parts = path.Split('/');
        var body = string.IsNullOrEmpty(request.PostData) ? null : JsonNode.Parse(request.PostData)?.AsObject();
        var method = request.Method;

        switch (parts)
        {
            case ["me"]:
                var workspaces = new[] { new { id = "w1", name = "Acme", role = Role } }
                    .Concat(OtherWorkspaces.Select(w => new { id = w.Id, name = w.Name, role = w.Role })).ToArray();
                await Ok(route, new
                {
                    userId = "u1", email = "admin@example.com", displayName = "Ada Admin",
                    activeWorkspace = workspaces.Single(w => w.id == _activeWorkspace), workspaces,
                });
                return;
            case ["teams"]:
                await Ok(route, new { items = new[] { new { id = "team-support", name = "Support" } } });
                return;
            case ["members"]:
                await Ok(route, new { items = Array.Empty<object>() });
                return;
            case ["activity-descriptors"]:
                await Ok(route, Descriptors);
                return;
            case ["flows"] when method == "GET":
                await Ok(route, new { items = _flows.Values.Select(Summary), nextCursor = (string?)null });
                return;
            case ["flows"] when method == "POST" && _flows.Values.Any(f => f["name"]!.GetValue<string>() == body!["name"]!.GetValue<string>()):
                await Fulfill(route, 409, new JsonObject
                {
                    ["title"] = "Conflict.", ["status"] = 409, ["detail"] = $"A flow named {body!["name"]} already exists.",
                }, "application/problem+json");
                return;
            case ["flows"] when method == "POST":
                await Ok(route, _flows[AddFlow(body!["name"]!.GetValue<string>(), Empty())], 201);
                return;
            case ["flows", "import"]:
                LastImport = body;
                await Ok(route, _flows[AddFlow(body!["name"]!.GetValue<string>(), body["graph"]!.DeepClone().AsObject())], 201);
                return;
            case ["flows", var id] when method == "PATCH":
                foreach (var (key, value) in body!)
                    _flows[id][key] = value?.DeepClone();
                await Ok(route, _flows[id]);
                return;
            case ["flows", var id] when method == "GET":
                await Ok(route, _flows[id]);
                return;
            case ["flows", var id, "draft"]:
                LastDraft = body!["graph"]!.DeepClone().AsObject();
                _flows[id]["graph"] = body["graph"]!.DeepClone();
                await Ok(route, _flows[id]);
                return;
            case ["flows", var id, "validate"]:
                var problems = Problems(Graph(id));
                await Ok(route, new JsonObject { ["valid"] = problems.Count == 0, ["problems"] = problems });
                return;
            case ["flows", var id, "publish"]:
                var found = Problems(Graph(id));
                if (found.Count > 0)
                {
                    await Fulfill(route, 422, new JsonObject { ["title"] = "The flow has problems.", ["status"] = 422, ["problems"] = found }, "application/problem+json");
                    return;
                }
                _flows[id]["publishedVersion"] = (_flows[id]["publishedVersion"]?.GetValue<int>() ?? 0) + 1;
                _flows[id]["hasUnpublishedChanges"] = false;
                await Ok(route, new { version = _flows[id]["publishedVersion"]!.GetValue<int>() });
                return;
            case ["flows", var id, "versions"]:
                var published = _flows[id]["publishedVersion"]?.GetValue<int>() ?? 0;
                await Ok(route, Enumerable.Range(1, published).Select(v => new { version = v, publishedAt = "2026-11-26T04:00:00Z", publishedBy = "Ada Admin" }));
                return;
            case ["flows", var id, "versions", var version, "rollback"]:
                RolledBackTo = int.Parse(version, System.Globalization.CultureInfo.InvariantCulture);
                _flows[id]["publishedVersion"] = _flows[id]["publishedVersion"]!.GetValue<int>() + 1;
                await Ok(route, new { version = _flows[id]["publishedVersion"]!.GetValue<int>() });
                return;
            case ["flows", var id, "export"]:
                await Ok(route, new JsonObject { ["format"] = "oneinbox-flow/1", ["name"] = _flows[id]["name"]!.DeepClone(), ["description"] = null, ["graph"] = Graph(id).DeepClone() });
                return;
            case ["flows", var id, "test-runs"]:
                await Ok(route, StartRun(id));
                return;
            case ["flows", _, "test-runs", var runId, "messages"]:
                await Ok(route, Continue(runId, body?["text"]?.GetValue<string>(), body?["buttonPayload"]?.GetValue<string>()));
                return;
            case ["flow-instances"]:
                await Ok(route, new { items = new[] { InstanceSummary() }, nextCursor = (string?)null });
                return;
            case ["flow-instances", "inst-1"]:
                await Ok(route, Instance());
                return;
            case ["flow-instances", "inst-1", "incidents", var incidentId, "retry"]:
                RetriedIncidents.Add(incidentId);
                await route.FulfillAsync(new RouteFulfillOptions { Status = 204 });
                return;
            default:
                await Fulfill(route, 404, new JsonObject { ["title"] = "Not found.", ["status"] = 404, ["detail"] = $"{method} {path} is not part of the contract." }, "application/problem+json");
                return;
        }
    }

    public static JsonObject Empty() => new() { ["nodes"] = new JsonArray(), ["edges"] = new JsonArray(), ["variables"] = new JsonArray() };

    private JsonObject Graph(string id) => _flows[id]["graph"]!.AsObject();

    private static JsonObject Summary(JsonObject flow)
    {
        var summary = flow.DeepClone().AsObject();
        summary.Remove("graph");
        return summary;
    }

    private static JsonArray Problems(JsonObject graph)
    {
        var problems = new JsonArray();
        var nodes = graph["nodes"]!.AsArray();
        if (nodes.Count == 0)
            problems.Add(new JsonObject { ["nodeId"] = null, ["field"] = null, ["message"] = "The flow has no activities." });
        foreach (var node in nodes)
        {
            var inputs = node!["inputs"]?.AsObject();
            var type = node["type"]!.GetValue<string>();
            var required = type switch { "SendMessage" => "text", "AskQuestion" => "question", "Decision" => "condition", "HandOff" => "team", _ => null };
            if (required is not null && string.IsNullOrWhiteSpace(inputs?[required]?.ToString()))
                problems.Add(new JsonObject { ["nodeId"] = node["id"]!.DeepClone(), ["field"] = required, ["message"] = $"{required} is required." });
        }
        return problems;
    }

    private JsonObject StartRun(string flowId)
    {
        var id = $"run-{_nextId++}";
        _runs[id] = (flowId, [], [], null);
        var graph = Graph(flowId);
        var targets = graph["edges"]!.AsArray().Select(e => e!["target"]!.GetValue<string>()).ToHashSet();
        var start = graph["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).FirstOrDefault(n => !targets.Contains(n));
        return Walk(id, start);
    }

    private JsonObject Continue(string runId, string? text, string? payload)
    {
        var run = _runs[runId];
        var answer = payload ?? text ?? string.Empty;
        run.Transcript.Add(new JsonObject { ["from"] = "customer", ["text"] = answer, ["buttons"] = new JsonArray() });
        _runs[runId] = run with { Waiting = null };
        return Walk(runId, run.Waiting is null ? null : Next(run.FlowId, run.Waiting, answer));
    }

    private JsonObject Walk(string runId, string? nodeId)
    {
        var run = _runs[runId];
        var graph = Graph(run.FlowId);
        JsonObject? handOff = null;
        var status = "completed";
        while (nodeId is not null)
        {
            var node = graph["nodes"]!.AsArray().First(n => n!["id"]!.GetValue<string>() == nodeId)!;
            run.Path.Add(nodeId);
            var inputs = node["inputs"]?.AsObject() ?? [];
            switch (node["type"]!.GetValue<string>())
            {
                case "SendMessage":
                    run.Transcript.Add(new JsonObject { ["from"] = "bot", ["text"] = inputs["text"]?.ToString(), ["buttons"] = new JsonArray() });
                    nodeId = Next(run.FlowId, nodeId, "done");
                    break;
                case "AskQuestion":
                    var buttons = new JsonArray(inputs["choices"]!.AsArray().Select(c => (JsonNode)new JsonObject { ["title"] = c!.ToString(), ["payload"] = c.ToString() }).ToArray());
                    run.Transcript.Add(new JsonObject { ["from"] = "bot", ["text"] = inputs["question"]?.ToString(), ["buttons"] = buttons });
                    _runs[runId] = run with { Waiting = nodeId };
                    status = "waiting";
                    nodeId = null;
                    break;
                case "Decision":
                    nodeId = Next(run.FlowId, nodeId, "true");
                    break;
                case "HandOff":
                    handOff = new JsonObject { ["reason"] = "Customer asked for support", ["summary"] = $"Team {inputs["team"]}: the customer chose Support." };
                    run.Transcript.Add(new JsonObject { ["from"] = "system", ["text"] = "Handed off to Support", ["buttons"] = new JsonArray() });
                    status = "handedOff";
                    nodeId = null;
                    break;
                default:
                    nodeId = null;
                    break;
            }
        }
        return new JsonObject
        {
            ["id"] = runId, ["status"] = status, ["transcript"] = run.Transcript.DeepClone(),
            ["path"] = new JsonArray(run.Path.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray()),
            ["variables"] = new JsonObject { ["answer"] = run.Transcript.LastOrDefault(t => t!["from"]!.ToString() == "customer")?["text"]?.DeepClone() },
            ["handOff"] = handOff, ["journal"] = new JsonArray(),
        };
    }

    private string? Next(string flowId, string from, string port) =>
        Graph(flowId)["edges"]!.AsArray()
            .FirstOrDefault(e => e!["source"]!.GetValue<string>() == from && e["sourcePort"]!.GetValue<string>() == port)?["target"]?.GetValue<string>();

    private static object InstanceSummary() => new
    {
        id = "inst-1", flowId = "flow-1", flowName = "Support triage", version = 1, conversationId = "conv-9", status = "handedOff",
        startedAt = "2026-11-26T04:00:00Z", updatedAt = "2026-11-26T04:01:00Z", currentNodeId = (string?)null,
    };

    private JsonNode Instance()
    {
        var instance = InstanceJson();
        if (InstanceFaulted && RetriedIncidents.Count == 0)
        {
            instance["status"] = "faulted";
            instance["currentNodeId"] = "handoff";
            instance["incidents"] = new JsonArray(new JsonObject
            {
                ["id"] = "inc-1", ["nodeId"] = "handoff", ["message"] = "No agent of team Support is online.", ["occurredAt"] = "2026-11-26T04:00:31Z", ["resolved"] = false,
            });
        }
        return instance;
    }

    private static JsonNode InstanceJson() => JsonNode.Parse("""
        {"id":"inst-1","flowId":"flow-1","flowName":"Support triage","version":1,"conversationId":"conv-9","status":"handedOff",
         "startedAt":"2026-11-26T04:00:00Z","updatedAt":"2026-11-26T04:01:00Z","currentNodeId":null,
         "path":["greet","ask","handoff"],"variables":{"answer":"Support"},
         "journal":[
           {"sequence":1,"nodeId":"greet","activityType":"SendMessage","inputs":{"text":"Welcome!"},"outcome":"done","startedAt":"2026-11-26T04:00:00Z","durationMs":12,"messagesSent":["Welcome!"],"assignment":null},
           {"sequence":2,"nodeId":"ask","activityType":"AskQuestion","inputs":{"question":"Sales or support?"},"outcome":"Support","startedAt":"2026-11-26T04:00:01Z","durationMs":30000,"messagesSent":["Sales or support?"],"assignment":null},
           {"sequence":3,"nodeId":"handoff","activityType":"HandOff","inputs":{"team":"team-support"},"outcome":"done","startedAt":"2026-11-26T04:00:31Z","durationMs":8,"messagesSent":[],"assignment":{"team":"Support"}}
         ],
         "incidents":[],
         "graph":{"nodes":[
           {"id":"greet","type":"SendMessage","typeVersion":1,"inputs":{"text":"Welcome!"},"position":{"x":0,"y":0}},
           {"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"question":"Sales or support?","choices":["Sales","Support"]},"position":{"x":0,"y":150}},
           {"id":"handoff","type":"HandOff","typeVersion":1,"inputs":{"team":"team-support"},"position":{"x":0,"y":300}}],
          "edges":[{"source":"greet","sourcePort":"done","target":"ask"},{"source":"ask","sourcePort":"Support","target":"handoff"}],
          "variables":[]}}
        """)!;

    private static Task Ok(IRoute route, object value, int status = 200) =>
        Fulfill(route, status, value, "application/json");

    private static Task Fulfill(IRoute route, int status, object value, string contentType) =>
        route.FulfillAsync(new RouteFulfillOptions { Status = status, ContentType = contentType, Body = JsonSerializer.Serialize(value, Json) });
}
