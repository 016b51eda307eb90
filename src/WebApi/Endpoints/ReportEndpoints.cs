using Mediator;
using Microsoft.Net.Http.Headers;
using OneInbox.Application.Reports;
using OneInbox.Domain.Channels;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

/// <summary>Reports over the inbox, read from the report aggregates; JSON, or CSV with <c>Accept: text/csv</c>.</summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports").RequireAuthorization(Policies.Read);

        reports.MapGet("/conversations", async Task<IResult> (
                    DateTimeOffset? from, DateTimeOffset? to, string? timeZone, string? groupBy, Guid? connectionId, string? channel, Guid? teamId, Guid? agentId, string? time,
                    string? label, string? format,
                    HttpContext context, ISender sender, TimeProvider clock, CancellationToken ct) =>
                {
                    var report = await sender.Send(new ConversationReport(Start(from, to, clock), to ?? clock.GetUtcNow(), timeZone,
                        QueryValues.Enum<ReportGrouping>(groupBy, nameof(groupBy)) ?? ReportGrouping.Day,
                        connectionId, QueryValues.Enum<ChannelType>(channel, nameof(channel)), teamId, agentId,
                        QueryValues.Enum<ReportTime>(time, nameof(time)) ?? ReportTime.Business, label), ct);
                    return await ReplyAsync(report, context, format, "conversations-report.csv", ReportCsv.WriteAsync, ct);
                })
            .WithName("GetConversationReport").Produces<ConversationReportDto>()
            .WithSummary("Conversations opened, resolved and reopened and messages in and out per hour, day, week or month in a time zone (default: the "
                + "workspace's), with first response and resolution times (median, p90, average, and their distribution) and who waits now. Times count "
                + "the workspace's business hours only; time=calendar counts the clock. Filter by connectionId, channel, teamId, agentId, label (conversations "
                + "carrying it when it happened); Agents get their own figures. Default range: the last 30 days. Accept: text/csv (or format=csv) gives the table as CSV.");
        foreach (var (path, by) in new[] { ("agents", ReportDimension.Agent), ("teams", ReportDimension.Team), ("channels", ReportDimension.Channel), ("connections", ReportDimension.Connection) })
        {
            reports.MapGet($"/{path}", async Task<IResult> (
                        DateTimeOffset? from, DateTimeOffset? to, string? time, string? format, HttpContext context, ISender sender, TimeProvider clock, CancellationToken ct) =>
                    {
                        var report = await sender.Send(new ReportBreakdown(Start(from, to, clock), to ?? clock.GetUtcNow(), by, QueryValues.Enum<ReportTime>(time, nameof(time)) ?? ReportTime.Business), ct);
                        return await ReplyAsync(report, context, format, $"{path}-report.csv", ReportCsv.WriteAsync, ct);
                    })
                .WithName($"Get{char.ToUpperInvariant(path[0])}{path[1..^1]}Report").Produces<ReportBreakdownDto>()
                .WithSummary($"The range's conversations, messages, first response and resolution times per {path[..^1]} (default: the last 30 days); "
                    + "Agents get their own row. Times count business hours; time=calendar counts the clock. Accept: text/csv (or format=csv) gives the table as CSV.");
        }

        var automation = reports.MapGroup(string.Empty).RequireAuthorization(Policies.Audit);
        automation.MapGet("/automation", async Task<IResult> (DateTimeOffset? from, DateTimeOffset? to, string? format, HttpContext context, ISender sender, TimeProvider clock, CancellationToken ct) =>
                {
                    var report = await sender.Send(new AutomationReport(Start(from, to, clock), to ?? clock.GetUtcNow()), ct);
                    return await ReplyAsync(report, context, format, "automation-report.csv", ReportCsv.WriteAsync, ct);
                })
            .WithName("GetAutomationReport").Produces<AutomationReportDto>()
            .WithSummary("What the bots did (default: the last 30 days): per flow and version, runs started, completed, handed off (and why, by category and "
                + "node), faulted, stopped, questions timed out, answers refused, and the containment rate. Owners, Admins and Auditors. "
                + "Accept: text/csv (or format=csv) gives the per-flow table.");
        automation.MapGet("/flows/{flowId:guid}/funnel", async Task<IResult> (
                    Guid flowId, int? version, DateTimeOffset? from, DateTimeOffset? to, string? format, HttpContext context, ISender sender, TimeProvider clock, CancellationToken ct) =>
                {
                    var report = await sender.Send(new FlowFunnel(flowId, version, Start(from, to, clock), to ?? clock.GetUtcNow()), ct);
                    return await ReplyAsync(report, context, format, "flow-funnel.csv", ReportCsv.WriteAsync, ct);
                })
            .WithName("GetFlowFunnel").Produces<FlowFunnelDto>()
            .WithSummary("A flow version's per-node funnel (default: the published version, the last 30 days): runs that reached each node, the outcome they "
                + "left by, where they stopped, refused answers and timeouts per question, and each edge's count. Accept: text/csv gives the node table.");
        return api;
    }

    /// <summary>Without a start, a report covers the 30 days before its end (default: now).</summary>
    private static DateTimeOffset Start(DateTimeOffset? from, DateTimeOffset? to, TimeProvider clock) => from ?? (to ?? clock.GetUtcNow()).AddDays(-30);

    /// <summary>The report as JSON, or its table as CSV when asked (<c>Accept: text/csv</c> or <c>format=csv</c>).</summary>
    private static async Task<IResult> ReplyAsync<T>(T report, HttpContext context, string? format, string fileName, Func<T, Stream, CancellationToken, Task> csv, CancellationToken ct)
    {
        if (!WantsCsv(context, format))
            return TypedResults.Ok(report);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename={fileName}";
        await csv(report, context.Response.Body, ct);
        return TypedResults.Empty;
    }

    private static bool WantsCsv(HttpContext context, string? format) =>
        format == "csv" || context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
}
