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
                    DateTimeOffset? from, DateTimeOffset? to, string? timeZone, string? groupBy, Guid? connectionId, string? channel, Guid? teamId, Guid? agentId, string? format,
                    HttpContext context, ISender sender, TimeProvider clock, CancellationToken ct) =>
                {
                    var end = to ?? clock.GetUtcNow();
                    var report = await sender.Send(new ConversationReport(from ?? end.AddDays(-30), end, timeZone,
                        QueryValues.Enum<ReportGrouping>(groupBy, nameof(groupBy)) ?? ReportGrouping.Day,
                        connectionId, QueryValues.Enum<ChannelType>(channel, nameof(channel)), teamId, agentId), ct);
                    if (!WantsCsv(context, format))
                        return TypedResults.Ok(report);
                    context.Response.ContentType = "text/csv; charset=utf-8";
                    context.Response.Headers[HeaderNames.ContentDisposition] = "attachment; filename=conversations-report.csv";
                    await ReportCsv.WriteAsync(report, context.Response.Body, ct);
                    return TypedResults.Empty;
                })
            .WithName("GetConversationReport").Produces<ConversationReportDto>()
            .WithSummary("Conversations opened, resolved and reopened and messages in and out per hour, day, week or month in a time zone (default: the "
                + "workspace's), with first response and resolution times (median, p90, average) and who waits now. Filter by connectionId, channel, "
                + "teamId, agentId; Agents get their own figures. Default range: the last 30 days. Accept: text/csv (or format=csv) gives the table as CSV.");
        foreach (var (path, by) in new[] { ("agents", ReportDimension.Agent), ("teams", ReportDimension.Team), ("channels", ReportDimension.Channel), ("connections", ReportDimension.Connection) })
        {
            reports.MapGet($"/{path}", async Task<IResult> (DateTimeOffset? from, DateTimeOffset? to, string? format, HttpContext context, ISender sender, TimeProvider clock, CancellationToken ct) =>
                    {
                        var end = to ?? clock.GetUtcNow();
                        var report = await sender.Send(new ReportBreakdown(from ?? end.AddDays(-30), end, by), ct);
                        if (!WantsCsv(context, format))
                            return TypedResults.Ok(report);
                        context.Response.ContentType = "text/csv; charset=utf-8";
                        context.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename={path}-report.csv";
                        await ReportCsv.WriteAsync(report, context.Response.Body, ct);
                        return TypedResults.Empty;
                    })
                .WithName($"Get{char.ToUpperInvariant(path[0])}{path[1..^1]}Report").Produces<ReportBreakdownDto>()
                .WithSummary($"The range's conversations, messages, first response and resolution times per {path[..^1]} (default: the last 30 days); "
                    + "Agents get their own row. Accept: text/csv (or format=csv) gives the table as CSV.");
        }
        return api;
    }

    private static bool WantsCsv(HttpContext context, string? format) =>
        format == "csv" || context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
}
