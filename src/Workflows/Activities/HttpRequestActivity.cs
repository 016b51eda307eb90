using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Expressions;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Activities;

/// <summary>
/// Calls an HTTP API through the SSRF-guarded port and maps fields of the JSON response into variables.
/// Non-success answers and timeouts leave through 'failed', so the flow can apologise instead of faulting.
/// </summary>
public sealed class HttpRequestActivity : Activity
{
    public const string Failed = "failed";
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "HttpRequest", "HTTP request", "Integration", "Calls an HTTPS API and stores parts of the JSON answer in variables.", "http",
        [
            Input("method", "Method", "choice", defaultValue: "GET", options: Methods.Select(m => new InputOptionDto(m, m)).ToList()),
            Input("url", "URL", "template", required: true),
            Input("headers", "Headers", "headers"),
            Input("body", "JSON body", "template"),
            Input("timeout", "Timeout", "duration", defaultValue: "10s"),
            Input("responseMapping", "Save from response", "json", hint: """{"orderStatus": "order.status"} (variable: path in the JSON answer)"""),
        ],
        [Done, Failed]);

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var method = inputs.Choice("method", Methods, "GET");
        var url = inputs.Template("url", required: true);
        var headers = inputs.Map("headers").ToDictionary(h => h.Key, h => CompiledTemplate.Compile(h.Value), StringComparer.OrdinalIgnoreCase);
        var body = inputs.Template("body");
        var timeout = inputs.Duration("timeout") ?? TimeSpan.FromSeconds(10);
        if (timeout > TimeSpan.FromSeconds(30))
            inputs.Problem("timeout", "The timeout is at most 30s: the customer is waiting.");
        var mapping = inputs.Map("responseMapping");
        foreach (var variable in mapping.Keys.Where(v => !inputs.Variables.ContainsKey(v)))
            inputs.Problem("responseMapping", $"Variable '{variable}' is not declared in the flow's variables.");
        return new Step(method, url, headers, body, timeout, mapping);
    }

    private sealed class Step(
        string method, CompiledTemplate? url, Dictionary<string, CompiledTemplate> headers, CompiledTemplate? body,
        TimeSpan timeout, Dictionary<string, string> mapping) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var http = execution.Context.Http ?? throw new InvalidOperationException("Outbound HTTP is not available here.");
            var target = url is null ? string.Empty : await execution.RenderAsync(url);
            execution.Input("method", method);
            execution.Input("url", target);
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                throw new InvalidOperationException($"'{target}' is not an https URL.");
            var rendered = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, template) in headers)
                rendered[name] = await execution.RenderAsync(template);
            execution.Input("headers", rendered.Keys.ToList());
            var json = body is null ? null : await execution.RenderAsync(body);

            OutboundHttpResponse response;
            try
            {
                response = await http.SendAsync(new OutboundHttpRequest(method, uri, rendered, json, timeout), execution.CancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or HttpRequestException or TaskCanceledException && !execution.CancellationToken.IsCancellationRequested)
            {
                execution.Input("error", e is HttpRequestException ? "the request failed" : "timed out");
                return StepResult.Follow(Failed);
            }
            execution.Input("status", response.StatusCode);
            if (response.StatusCode is < 200 or > 299)
                return StepResult.Follow(Failed);

            if (mapping.Count > 0)
            {
                JsonNode? document;
                try
                {
                    document = JsonNode.Parse(response.Body);
                }
                catch (JsonException)
                {
                    execution.Input("error", "the answer is not JSON");
                    return StepResult.Follow(Failed);
                }
                foreach (var (variable, path) in mapping)
                {
                    object? value = document;
                    foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
                        value = Values.Member(value, segment);
                    execution.SetVariable(variable, value);
                }
            }
            return StepResult.Done;
        }
    }
}
