using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Privacy;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

/// <summary>The workspace's privacy work: data-subject requests (cases) and legal holds.</summary>
public static class PrivacyEndpoints
{
    public sealed record LegalHoldBody(Guid? ContactId, string Reason);

    public sealed record CompleteBody(string? Note);

    public sealed record RefuseBody(string Reason, string LegalBasis);

    public static RouteGroupBuilder MapPrivacyEndpoints(this RouteGroupBuilder api)
    {
        var privacy = api.MapGroup("/privacy").WithTags("Privacy");
        // Auditors read the privacy record; Owners and Admins act on it (a legal hold needs an Owner, checked by the use case).
        var audit = privacy.MapGroup(string.Empty).RequireAuthorization(Policies.Audit);
        var manage = privacy.MapGroup(string.Empty).RequireAuthorization(Policies.Manage);

        audit.MapGet("/requests", async Task<Ok<IReadOnlyList<PrivacyRequestDto>>> (
                    Guid? contactId, string? status, bool? overdue, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListPrivacyRequests(contactId, QueryValues.Enum<PrivacyRequestStatus>(status, nameof(status)), overdue), ct)))
            .WithName("ListPrivacyRequests").RecordsAccess("privacyRequest.list")
            .WithSummary("The workspace's privacy requests, open ones first by nearest due date; each says whether it is overdue and how many days are left.");

        audit.MapGet("/requests/{requestId:guid}", async Task<Ok<PrivacyRequestDto>> (Guid requestId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetPrivacyRequest(requestId), ct)))
            .WithName("GetPrivacyRequest").RecordsAccess("privacyRequest.read")
            .WithSummary("One privacy request with its timeline.");

        manage.MapPost("/requests", async Task<Created<PrivacyRequestDto>> (CreatePrivacyRequest command, ISender sender, CancellationToken ct) =>
            {
                var request = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/privacy/requests/{request.Id}", request);
            })
            .WithName("CreatePrivacyRequest")
            .WithSummary("Record a request (access, portability, correction, erasure, restriction, objection, consentWithdrawal) about a contact found by id, channel account, phone or email, or about the caller's own account; due in the workspace's response days (at most 30).");

        manage.MapPost("/requests/{requestId:guid}/start", async Task<Ok<PrivacyRequestDto>> (Guid requestId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new StartPrivacyRequest(requestId), ct)))
            .WithName("StartPrivacyRequest")
            .WithSummary("Mark a request as in progress.");

        manage.MapPost("/requests/{requestId:guid}/complete", async Task<Ok<PrivacyRequestDto>> (Guid requestId, CompleteBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new CompletePrivacyRequest(requestId, body.Note), ct)))
            .WithName("CompletePrivacyRequest")
            .WithSummary("Carry out the request and close it: erasure erases the contact (refused with the reason under a legal hold), restriction and objection apply at once, a correction writes the new value.");

        manage.MapPost("/requests/{requestId:guid}/refuse", async Task<Ok<PrivacyRequestDto>> (Guid requestId, RefuseBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new RefusePrivacyRequest(requestId, body.Reason, body.LegalBasis), ct)))
            .WithName("RefusePrivacyRequest")
            .WithSummary("Refuse a request with its reason and legal basis.");

        manage.MapPost("/requests/{requestId:guid}/exports", async Task<Created<PrivacyExportDto>> (Guid requestId, ISender sender, CancellationToken ct) =>
            {
                var export = await sender.Send(new StartPrivacyExport(requestId), ct);
                return TypedResults.Created($"/api/v1/privacy/requests/{requestId}/exports", export);
            })
            .WithName("StartPrivacyExport")
            .WithSummary("Build the person's export (access, portability) in the background: a zip of their profile, conversations, files, notes and automated decisions, JSON and CSV, sealed under their key.");

        audit.MapGet("/requests/{requestId:guid}/exports", async Task<Ok<IReadOnlyList<PrivacyExportDto>>> (Guid requestId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListPrivacyExports(requestId), ct)))
            .WithName("ListPrivacyExports")
            .WithSummary("The request's exports, newest first: building, ready (downloadable for 24 hours, deleted after the workspace's export retention, 7 days by default), failed or deleted.");

        manage.MapGet("/requests/{requestId:guid}/export", async Task<FileContentHttpResult> (Guid requestId, ISender sender, CancellationToken ct) =>
            {
                var file = await sender.Send(new DownloadPrivacyExport(requestId), ct);
                return TypedResults.File(file.Content, "application/zip", file.FileName);
            })
            .WithName("DownloadPrivacyExport")
            .WithSummary("Download the newest ready export (within 24 hours of being ready); every download is audited.");

        audit.MapGet("/settings", async Task<Ok<PrivacySettingsDto>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetPrivacySettings(), ct)))
            .WithName("GetPrivacySettings")
            .WithSummary("The workspace's response days and erasure confirmation text.");

        manage.MapPut("/settings", async Task<Ok<PrivacySettingsDto>> (UpdatePrivacySettings command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .WithName("UpdatePrivacySettings")
            .WithSummary("Shorten the response days (1-30) or change the erasure confirmation text.");

        audit.MapGet("/legal-holds", async Task<Ok<IReadOnlyList<LegalHoldDto>>> (Guid? contactId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListLegalHolds(contactId), ct)))
            .WithName("ListLegalHolds")
            .WithSummary("The workspace's legal holds (active first); with contactId, those that keep that contact's data.");

        manage.MapPost("/legal-holds", async Task<Created<LegalHoldDto>> (LegalHoldBody body, ISender sender, CancellationToken ct) =>
            {
                var hold = await sender.Send(new PlaceLegalHold(body.ContactId, body.Reason), ct);
                return TypedResults.Created($"/api/v1/privacy/legal-holds/{hold.Id}", hold);
            })
            .WithName("PlaceLegalHold")
            .WithSummary("Owner only: keep a contact's data (or, without contactId, the whole workspace's) from erasure, with the reason told to whoever asks for erasure.");

        manage.MapDelete("/legal-holds/{holdId:guid}", async Task<Ok<LegalHoldDto>> (Guid holdId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReleaseLegalHold(holdId), ct)))
            .WithName("ReleaseLegalHold")
            .WithSummary("Owner only: release a legal hold (it stays listed as released).");

        return api;
    }
}
