using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace OneInbox.Application.Reviews;

/// <summary>
/// A case's decision record as one printable HTML page, for a regulator or the customer: the case, the decision and
/// what was done, the contested step with its explanation, each flow run's path and journal, and the transcript.
/// Self-contained (inline style, no script); every value is HTML-encoded.
/// </summary>
public static class ReviewRecordPage
{
    public static string Render(ReviewCaseDetailDto record)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Review case ").Append(E(record.Reference)).Append("</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}")
            .Append("th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}.contested{background:#fff3c4}")
            .Append(".path{font-weight:600}dt{font-weight:600}dd{margin:0 0 .5rem}</style></head><body>");
        html.Append("<h1>Human review of an automated decision: case ").Append(E(record.Reference)).Append("</h1><dl>");
        Item(html, "Status", record.Status.ToString());
        Item(html, "Opened", $"{Time(record.OpenedAt)} ({record.Source})");
        Item(html, "Due", Time(record.DueAt));
        Item(html, "Customer", record.ContactName ?? record.ContactId.ToString());
        Item(html, "Channel", record.Channel);
        Item(html, "The customer's words", record.CustomerWords);
        Item(html, "Flow", record.FlowName is null ? null : $"{record.FlowName} v{record.FlowVersion}");
        Item(html, "Contested step", record.ContestedNodeId is null ? "(the flow run as a whole)" : $"{record.ContestedNodeId} (step {record.ContestedSequence})");
        Item(html, "Explanation given by the automation", record.ContestedExplanation);
        if (record.Decision is { } decision)
        {
            Item(html, "Decision", $"{decision.Outcome} on {Time(decision.DecidedAt)} by {decision.DecidedByName ?? "a reviewer"}");
            Item(html, "Reason", decision.Reason);
            foreach (var action in decision.Actions)
                Item(html, "Corrective action", $"{action.Type}: {action.Result}");
            Item(html, "Message sent to the customer", decision.CustomerMessage);
        }
        html.Append("</dl>");

        foreach (var run in record.Instances)
        {
            html.Append("<h2>Flow run: ").Append(E(run.FlowName ?? run.FlowId.ToString())).Append(" v").Append(run.Version)
                .Append(", started ").Append(E(Time(run.StartedAt))).Append(" (").Append(E(run.Status)).Append(")</h2>");
            html.Append("<p>Path taken: <span class=\"path\">").Append(E(string.Join(" → ", run.Path))).Append("</span></p>");
            html.Append("<table><tr><th>#</th><th>Step</th><th>Activity</th><th>Outcome</th><th>Explanation</th><th>Inputs</th><th>Variables then</th></tr>");
            foreach (var entry in run.Journal)
            {
                var contested = run.InstanceId == record.InstanceId && entry.Sequence == record.ContestedSequence;
                html.Append(contested ? "<tr class=\"contested\">" : "<tr>")
                    .Append("<td>").Append(entry.Sequence).Append("</td><td>").Append(E(entry.NodeId)).Append("</td><td>").Append(E(entry.ActivityType))
                    .Append("</td><td>").Append(E(entry.Outcome ?? entry.Error ?? string.Empty)).Append("</td><td>").Append(E(entry.Explanation ?? string.Empty))
                    .Append("</td><td>").Append(E(Compact(entry.Inputs))).Append("</td><td>").Append(E(entry.Variables is { } v ? Compact(v) : string.Empty))
                    .Append("</td></tr>");
            }
            html.Append("</table>");
        }

        html.Append("<h2>Conversation</h2><table><tr><th>When</th><th>From</th><th>Message</th></tr>");
        foreach (var line in record.Transcript)
        {
            html.Append("<tr><td>").Append(E(Time(line.SentAt))).Append("</td><td>").Append(E(line.Direction == Domain.Conversations.MessageDirection.Inbound ? "customer" : line.SenderType.ToString()))
                .Append("</td><td>").Append(E(line.Text ?? "(attachment)")).Append("</td></tr>");
        }
        html.Append("</table><h2>Trail</h2><table><tr><th>When</th><th>Who</th><th>What</th><th>Detail</th></tr>");
        foreach (var line in record.Trail)
            html.Append("<tr><td>").Append(E(Time(line.At))).Append("</td><td>").Append(E(line.Actor ?? string.Empty)).Append("</td><td>").Append(E(line.Action))
                .Append("</td><td>").Append(E(line.Detail ?? string.Empty)).Append("</td></tr>");
        return html.Append("</table></body></html>").ToString();
    }

    private static void Item(StringBuilder html, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            html.Append("<dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
    }

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Compact(JsonElement json) => json.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? string.Empty : json.GetRawText();

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
