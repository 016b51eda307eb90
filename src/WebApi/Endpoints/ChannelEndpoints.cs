using System.Text.Json;
using System.Text.Json.Serialization;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Channels;
using OneInbox.Application.Common.Paging;
using OneInbox.Domain.Channels;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

/// <summary>Channel connections and their operations (parked envelopes, failed deliveries): Owners and Admins only.</summary>
public static class ChannelEndpoints
{
    public static RouteGroupBuilder MapChannelEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/channel-types", async Task<Ok<IReadOnlyList<ChannelTypeDto>>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListChannelTypes(), ct)))
            .WithTags("Channels")
            .RequireAuthorization(Policies.Manage)
            .WithName("ListChannelTypes")
            .WithSummary("The kinds of channel that can be connected, with the fields of their connect and rotate forms.");

        var channels = api.MapGroup("/channels").WithTags("Channels").RequireAuthorization(Policies.Manage);

        channels.MapPost("/", async Task<Created<ChannelConnectionCreated>> (CreateChannelConnection command, ISender sender, CancellationToken ct) =>
            {
                var created = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/channels/{created.Connection.Id}", created);
            })
            .WithName("CreateChannelConnection")
            .WithSummary("Connect a channel (the fields of each type: GET /api/v1/channel-types); the answer shows the inbound URL and secrets once.");

        channels.MapGet("/", async Task<Ok<IReadOnlyList<ChannelConnectionDto>>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListChannelConnections(), ct)))
            .WithName("ListChannelConnections")
            .WithSummary("List the workspace's connections with their health.");

        channels.MapGet("/{connectionId:guid}", async Task<Ok<ChannelConnectionDto>> (Guid connectionId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetChannelConnection(connectionId), ct)))
            .WithName("GetChannelConnection")
            .WithSummary("Get one connection with its health (never its credentials).");

        channels.MapPatch("/{connectionId:guid}", async Task<Ok<ChannelConnectionDto>> (Guid connectionId, UpdateChannelConnectionBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new UpdateChannelConnection(connectionId, body.Name, body.Mode, body.BaseUrl) { Settings = body.Settings }, ct)))
            .WithName("UpdateChannelConnection")
            .WithSummary("Rename, switch between webhook and polling, rotate a token or secret (see the channel type's rotatable fields) or change URLs.");

        channels.MapDelete("/{connectionId:guid}", async Task<NoContent> (Guid connectionId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteChannelConnection(connectionId), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteChannelConnection")
            .WithSummary("Disconnect: removes the webhook at the provider and the connection's queued work.");

        channels.MapGet("/{connectionId:guid}/envelopes", async Task<Ok<CursorPage<EnvelopeDto>>> (Guid connectionId, string? status, string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListEnvelopes(connectionId, status, cursor, limit), ct)))
            .WithName("ListEnvelopes").RecordsAccess("channel.envelopes.read")
            .WithSummary("Inbound envelopes by status; failed (parked) ones by default.");

        channels.MapPost("/{connectionId:guid}/envelopes/{envelopeId:guid}/replay", async Task<Ok<EnvelopeDto>> (Guid connectionId, Guid envelopeId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReplayEnvelope(connectionId, envelopeId), ct)))
            .WithName("ReplayEnvelope")
            .WithSummary("Process a parked envelope again.");

        channels.MapGet("/{connectionId:guid}/outbox", async Task<Ok<CursorPage<OutboxDto>>> (Guid connectionId, string? status, string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListOutbox(connectionId, status, cursor, limit), ct)))
            .WithName("ListOutbox").RecordsAccess("channel.outbox.read")
            .WithSummary("Outbound deliveries by status; failed ones by default.");

        // Agents send templates, so they may read them; the rest of /channels is for admins.
        api.MapGet("/channels/{connectionId:guid}/templates", async Task<Ok<IReadOnlyList<MessageTemplateDto>>> (Guid connectionId, bool? refresh, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListChannelTemplates(connectionId, refresh == true), ct)))
            .WithTags("Channels").RequireAuthorization(Policies.Work)
            .WithName("ListChannelTemplates")
            .WithSummary("The connection's message templates (WhatsApp), read from the provider and kept 15 minutes; ?refresh=true reads them again. 422 for channels without templates.");

        channels.MapPost("/{connectionId:guid}/outbox/{outboxId:guid}/replay", async Task<Ok<OutboxDto>> (Guid connectionId, Guid outboxId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReplayOutbox(connectionId, outboxId), ct)))
            .WithName("ReplayOutbox")
            .WithSummary("Try a failed delivery again.");

        return api;
    }

    /// <param name="Settings">The channel's rotatable properties (botToken, accessToken, appSecret, callbackUrl, ...).</param>
    public sealed record UpdateChannelConnectionBody(string? Name, ConnectionMode? Mode, string? BaseUrl)
    {
        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Settings { get; init; }
    }
}
