using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Reviews;
using OneInbox.Domain.Reviews;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

/// <summary>Human review of automated decisions: cases customers open by contesting, the reviewers' decisions, statistics and records.</summary>
public static class ReviewEndpoints
{
    public sealed record AssignBody(Guid AssigneeId);

    public sealed record DecideBody(ReviewStatus Outcome, string Reason, IReadOnlyList<ReviewAction>? Actions);

    public sealed record WithdrawBody(string Reason);

    public static RouteGroupBuilder MapReviewEndpoints(this RouteGroupBuilder api)
    {
        var reviews = api.MapGroup("/reviews").WithTags("Reviews");
        // Auditors, Owners and Admins read the cases and statistics; Owners and Auditors decide; whoever works
        // conversations opens a case for a customer.
        var audit = reviews.MapGroup(string.Empty).RequireAuthorization(Policies.Audit);
        var decide = reviews.MapGroup(string.Empty).RequireAuthorization(Policies.Accountability);
        var work = reviews.MapGroup(string.Empty).RequireAuthorization(Policies.Work);
        var manage = reviews.MapGroup(string.Empty).RequireAuthorization(Policies.Manage);

        audit.MapGet(string.Empty, async Task<Ok<IReadOnlyList<ReviewCaseDto>>> (string? status, bool? overdue, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListReviewCases(QueryValues.Enum<ReviewStatus>(status, nameof(status)), overdue), ct)))
            .WithName("ListReviewCases").RecordsAccess("review.list")
            .WithSummary("The review queue: open cases by nearest due date (each says whether it is overdue), then decided ones, newest first.");

        audit.MapGet("/stats", async Task<Ok<IReadOnlyList<ReviewStatsDto>>> (Guid? flowId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetReviewStats(flowId), ct)))
            .WithName("GetReviewStats")
            .WithSummary("Per flow version and contested node: contested, upheld, overturned, open, median hours to decide; flagged where the overturned share passes the workspace's.");

        audit.MapGet("/settings", async Task<Ok<ReviewSettingsDto>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetReviewSettings(), ct)))
            .WithName("GetReviewSettings")
            .WithSummary("The phrases customers contest by, the days to decide, the messages they get and the flag share.");

        manage.MapPut("/settings", async Task<Ok<ReviewSettingsDto>> (UpdateReviewSettings command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .WithName("UpdateReviewSettings")
            .WithSummary("Change the contest phrases, the due days (1-30), the messages (Liquid over case.reference, case.dueDate, case.outcome, case.reason) or the flag share.");

        audit.MapGet("/{caseId:guid}", async Task<Ok<ReviewCaseDetailDto>> (Guid caseId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetReviewCase(caseId), ct)))
            .WithName("GetReviewCase").RecordsAccess("review.read")
            .WithSummary("A case with the transcript up to the decision and each flow run of the 30 days before it: graph, path taken, journal with explanations and the variables of each significant step.");

        audit.MapGet("/{caseId:guid}/record", async Task<Ok<ReviewCaseDetailDto>> (Guid caseId, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var record = await sender.Send(new GetReviewCase(caseId), ct);
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"review-{record.Reference}.json\"";
                return TypedResults.Ok(record);
            })
            .WithName("ExportReviewRecordJson").RecordsAccess("review.record")
            .WithSummary("The case's full decision record as a JSON file, for a regulator or the customer.");

        audit.MapGet("/{caseId:guid}/record.html", async Task<ContentHttpResult> (Guid caseId, ISender sender, CancellationToken ct) =>
                TypedResults.Content(ReviewRecordPage.Render(await sender.Send(new GetReviewCase(caseId), ct)), "text/html; charset=utf-8"))
            .WithName("ExportReviewRecordHtml").RecordsAccess("review.record")
            .WithSummary("The case's full decision record as a printable HTML page.");

        work.MapPost(string.Empty, async Task<Created<ReviewCaseDto>> (OpenReviewCase command, ISender sender, CancellationToken ct) =>
            {
                var review = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/reviews/{review.Id}", review);
            })
            .WithName("OpenReviewCase")
            .WithSummary("Open a case on a customer's behalf: hands the conversation to people, contests the step named or the latest significant decision of the last 30 days, and tells the customer when to expect the answer.");

        decide.MapPost("/{caseId:guid}/assign", async Task<Ok<ReviewCaseDto>> (Guid caseId, AssignBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new AssignReviewCase(caseId, body.AssigneeId), ct)))
            .WithName("AssignReviewCase")
            .WithSummary("Give the case to an Auditor or Owner.");

        decide.MapPost("/{caseId:guid}/start", async Task<Ok<ReviewCaseDto>> (Guid caseId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new StartReviewCase(caseId), ct)))
            .WithName("StartReviewCase")
            .WithSummary("Take the case on: it shows as in review (assigned to the caller unless assigned already).");

        decide.MapPost("/{caseId:guid}/decide", async Task<Ok<ReviewCaseDto>> (Guid caseId, DecideBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new DecideReviewCase(caseId, body.Outcome, body.Reason, body.Actions), ct)))
            .WithName("DecideReviewCase")
            .WithSummary("Uphold (with the reason) or overturn (with the reason and corrective actions: reassignTeam, assignAgent, handOff, setAttribute, clearAttribute, addTag, removeTag, sendMessage); the customer is told the outcome.");

        work.MapPost("/{caseId:guid}/withdraw", async Task<Ok<ReviewCaseDto>> (Guid caseId, WithdrawBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new WithdrawReviewCase(caseId, body.Reason), ct)))
            .WithName("WithdrawReviewCase")
            .WithSummary("The customer takes the request back (an agent records it).");

        return reviews;
    }
}
