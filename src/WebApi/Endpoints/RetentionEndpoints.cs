using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Retention;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

/// <summary>How long the workspace keeps each kind of data, and its purge.</summary>
public static class RetentionEndpoints
{
    public static RouteGroupBuilder MapRetentionEndpoints(this RouteGroupBuilder api)
    {
        var retention = api.MapGroup("/workspace/retention").WithTags("Retention");

        retention.MapGet("/", async Task<Ok<RetentionSettingsDto>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetRetentionSettings(), ct)))
            .RequireAuthorization(Policies.Audit)
            .WithName("GetRetentionSettings")
            .WithSummary("How long the workspace keeps messages, the automation journal, exports, processed payloads and audit events, and its last purge.");

        retention.MapPut("/", async Task<Ok<RetentionSettingsDto>> (UpdateRetentionSettings command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .RequireAuthorization(Policies.Manage)
            .WithName("UpdateRetentionSettings")
            .WithSummary("Owner only: set the retention periods in days (messageDays null keeps messages until deleted and needs keepMessagesReason).");

        retention.MapPost("/purge", async Task<Ok<PurgeReport>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new PurgeNow(), ct)))
            .RequireAuthorization(Policies.Manage)
            .WithName("PurgeNow")
            .WithSummary("Owner only: delete what has expired now instead of at night; answers what was deleted (503 while another purge runs).");

        return api;
    }
}
