using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.CannedResponses;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class CannedResponseEndpoints
{
    public sealed record CannedResponseBody(string ShortCode, string Text);

    public sealed record RenderBody(Guid ConversationId);

    public static RouteGroupBuilder MapCannedResponseEndpoints(this RouteGroupBuilder api)
    {
        var responses = api.MapGroup("/canned-responses").WithTags("Canned responses");
        var read = responses.MapGroup(string.Empty).RequireAuthorization(Policies.Read);
        var work = responses.MapGroup(string.Empty).RequireAuthorization(Policies.Work);

        read.MapGet("/", async Task<Ok<IReadOnlyList<CannedResponseDto>>> (string? prefix, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListCannedResponses(prefix), ct)))
            .WithName("ListCannedResponses")
            .WithSummary("Canned responses by short code; prefix narrows them.");

        work.MapPost("/", async Task<Created<CannedResponseDto>> (CreateCannedResponse command, ISender sender, CancellationToken ct) =>
            {
                var response = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/canned-responses/{response.Id}", response);
            })
            .WithName("CreateCannedResponse")
            .WithSummary("Create a canned response: a short code and a Liquid text such as 'Hi {{ contact.name }}'.");

        work.MapPut("/{cannedResponseId:guid}", async Task<Ok<CannedResponseDto>> (Guid cannedResponseId, CannedResponseBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new UpdateCannedResponse(cannedResponseId, body.ShortCode, body.Text), ct)))
            .WithName("UpdateCannedResponse")
            .WithSummary("Change a canned response.");

        work.MapDelete("/{cannedResponseId:guid}", async Task<NoContent> (Guid cannedResponseId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteCannedResponse(cannedResponseId), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteCannedResponse")
            .WithSummary("Delete a canned response.");

        work.MapPost("/{cannedResponseId:guid}/render", async Task<Ok<RenderedCannedResponse>> (Guid cannedResponseId, RenderBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new RenderCannedResponse(cannedResponseId, body.ConversationId), ct)))
            .WithName("RenderCannedResponse")
            .WithSummary("Fill a canned response in for a conversation (contact.name, contact.email, contact.phone, contact.company, contact.attributes.KEY, agent.name).");

        return api;
    }
}
