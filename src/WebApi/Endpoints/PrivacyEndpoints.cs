using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Privacy;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

/// <summary>The workspace's privacy work: data-subject requests (cases) and legal holds.</summary>
public static class PrivacyEndpoints
{
    public sealed record LegalHoldBody(Guid? ContactId, string Reason);

    public static RouteGroupBuilder MapPrivacyEndpoints(this RouteGroupBuilder api)
    {
        var privacy = api.MapGroup("/privacy").WithTags("Privacy");
        // Auditors read the privacy record; Owners and Admins act on it (a legal hold needs an Owner, checked by the use case).
        var audit = privacy.MapGroup(string.Empty).RequireAuthorization(Policies.Audit);
        var manage = privacy.MapGroup(string.Empty).RequireAuthorization(Policies.Manage);

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
