using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Common.Paging;
using OneInbox.Application.Flows;
using OneInbox.Domain.Flows;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class FlowEndpoints
{
    public sealed record UpdateFlowBody(string? Name, string? Description, int? Priority);

    public sealed record SaveDraftBody(JsonElement Graph);

    public sealed record TestRunBody(string? ContactName, string? Channel);

    public sealed record TestRunMessageBody(string? Text, string? ButtonPayload);

    public sealed record StartFlowBody(Guid ConversationId);

    public static RouteGroupBuilder MapFlowEndpoints(this RouteGroupBuilder api)
    {
        // Auditors may read flows (to understand and contest automated decisions); only admins change them.
        var read = api.MapGroup("/flows").WithTags("Flows").RequireAuthorization(Policies.Read);
        var manage = api.MapGroup("/flows").WithTags("Flows").RequireAuthorization(Policies.Manage)
            .AddEndpointFilter(InvalidFlowAs422);

        read.MapGet("/", async Task<Ok<CursorPage<FlowSummaryDto>>> (string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListFlows(cursor, limit), ct)))
            .WithName("ListFlows").WithSummary("List flows, newest first.");

        read.MapGet("/{flowId:guid}", async Task<Ok<FlowDetailDto>> (Guid flowId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetFlow(flowId), ct)))
            .WithName("GetFlow").WithSummary("Get a flow with its draft graph.");

        read.MapGet("/{flowId:guid}/versions", async Task<Ok<IReadOnlyList<FlowVersionDto>>> (Guid flowId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListFlowVersions(flowId), ct)))
            .WithName("ListFlowVersions").WithSummary("List the published versions, newest first.");

        read.MapGet("/{flowId:guid}/export", async Task<Ok<ExportedFlow>> (Guid flowId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ExportFlow(flowId), ct)))
            .WithName("ExportFlow").WithSummary("Export the flow's draft in the portable format.");

        manage.MapPost("/", async Task<Created<FlowDetailDto>> (CreateFlow command, ISender sender, CancellationToken ct) =>
            {
                var flow = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/flows/{flow.Id}", flow);
            })
            .WithName("CreateFlow").WithSummary("Create a flow (optionally with a draft graph).");

        manage.MapPost("/import", async Task<Created<FlowDetailDto>> (ImportFlow command, ISender sender, CancellationToken ct) =>
            {
                var flow = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/flows/{flow.Id}", flow);
            })
            .WithName("ImportFlow").WithSummary("Import an exported flow as a new, unpublished flow.");

        manage.MapMethods("/{flowId:guid}", ["PATCH"], async Task<Ok<FlowDetailDto>> (Guid flowId, UpdateFlowBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new UpdateFlow(flowId, body.Name, body.Description, body.Priority), ct)))
            .WithName("UpdateFlow").WithSummary("Rename a flow, or change its description or priority.");

        manage.MapPut("/{flowId:guid}/draft", async Task<Ok<FlowDetailDto>> (Guid flowId, SaveDraftBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SaveFlowDraft(flowId, body.Graph), ct)))
            .WithName("SaveFlowDraft").WithSummary("Save the draft graph, valid or not.");

        manage.MapDelete("/{flowId:guid}", async Task<NoContent> (Guid flowId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteFlow(flowId), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteFlow").WithSummary("Delete a flow that has no instances in progress.");

        manage.MapPost("/{flowId:guid}/duplicate", async Task<Created<FlowDetailDto>> (Guid flowId, ISender sender, CancellationToken ct) =>
            {
                var flow = await sender.Send(new DuplicateFlow(flowId), ct);
                return TypedResults.Created($"/api/v1/flows/{flow.Id}", flow);
            })
            .WithName("DuplicateFlow").WithSummary("Copy a flow's draft into a new flow.");

        manage.MapPost("/{flowId:guid}/validate", async Task<Ok<FlowValidationDto>> (Guid flowId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ValidateFlow(flowId), ct)))
            .WithName("ValidateFlow").WithSummary("Check the draft as publishing would.");

        manage.MapPost("/{flowId:guid}/publish", async Task<Ok<PublishedVersionDto>> (Guid flowId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new PublishFlow(flowId), ct)))
            .WithName("PublishFlow").WithSummary("Publish the draft as the next version (422 with problems when invalid).");

        manage.MapPost("/{flowId:guid}/retract", async Task<NoContent> (Guid flowId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RetractFlow(flowId), ct);
                return TypedResults.NoContent();
            })
            .WithName("RetractFlow").WithSummary("Deactivate the published version; instances in flight finish.");

        manage.MapPost("/{flowId:guid}/versions/{version:int}/rollback", async Task<Ok<PublishedVersionDto>> (Guid flowId, int version, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new RollbackFlow(flowId, version), ct)))
            .WithName("RollbackFlow").WithSummary("Publish a copy of an earlier version.");

        manage.MapPost("/{flowId:guid}/start", async Task<Created<StartedFlowDto>> (Guid flowId, StartFlowBody body, ISender sender, CancellationToken ct) =>
            {
                var started = await sender.Send(new StartFlow(flowId, body.ConversationId), ct);
                return TypedResults.Created($"/api/v1/flow-instances/{started.InstanceId}", started);
            })
            .WithName("StartFlow").WithSummary("Start the published version on a conversation (409 when a flow is already active there).");

        manage.MapPost("/{flowId:guid}/test-runs", async Task<Ok<TestRunDto>> (Guid flowId, TestRunBody? body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new StartTestRun(flowId, body?.ContactName, body?.Channel), ct)))
            .WithName("StartTestRun").WithSummary("Start a simulated conversation on the draft (no channel involved).");

        manage.MapPost("/{flowId:guid}/test-runs/{runId:guid}/messages", async Task<Ok<TestRunDto>> (Guid flowId, Guid runId, TestRunMessageBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SendTestRunMessage(flowId, runId, body.Text, body.ButtonPayload), ct)))
            .WithName("SendTestRunMessage").WithSummary("Write as the customer in a test run.");

        MapInstances(api);
        return api;
    }

    private static void MapInstances(RouteGroupBuilder api)
    {
        var read = api.MapGroup("/flow-instances").WithTags("Flow instances").RequireAuthorization(Policies.Read);
        var manage = api.MapGroup("/flow-instances").WithTags("Flow instances").RequireAuthorization(Policies.Manage);

        read.MapGet("/", async Task<Ok<CursorPage<FlowInstanceSummaryDto>>> (
                Guid? flowId, string? status, Guid? conversationId, string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListFlowInstances(flowId, ParseStatus(status), conversationId, cursor, limit), ct)))
            .WithName("ListFlowInstances").RecordsAccess("flowInstance.list").WithSummary("List instances, newest first; filter by flow, status or conversation.");

        read.MapGet("/{instanceId:guid}", async Task<Ok<FlowInstanceDetailDto>> (Guid instanceId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetFlowInstance(instanceId), ct)))
            .WithName("GetFlowInstance").RecordsAccess("flowInstance.read").WithSummary("An instance with its path, variables, journal, incidents and graph.");

        manage.MapPost("/{instanceId:guid}/cancel", async Task<NoContent> (Guid instanceId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new CancelFlowInstance(instanceId), ct);
                return TypedResults.NoContent();
            })
            .WithName("CancelFlowInstance").WithSummary("Cancel an instance.");

        manage.MapPost("/{instanceId:guid}/incidents/{incidentId:guid}/retry", async Task<NoContent> (Guid instanceId, Guid incidentId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RetryFlowIncident(instanceId, incidentId), ct);
                return TypedResults.NoContent();
            })
            .WithName("RetryFlowIncident").WithSummary("Resolve an incident and retry the instance from the node that failed.");
    }

    private static FlowInstanceStatus? ParseStatus(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
            return null;
        if (Enum.TryParse<FlowInstanceStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            return parsed;
        throw new ValidationException([new ValidationFailure("status", "Status is one of running, waiting, completed, faulted, cancelled.")]);
    }

    /// <summary>An unpublishable graph is answered 422 with the problems the designer highlights.</summary>
    private static async ValueTask<object?> InvalidFlowAs422(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (FlowInvalidException invalid)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The flow has problems.",
                detail: $"{invalid.Problems.Count} problem(s) must be fixed first; see problems.",
                extensions: new Dictionary<string, object?> { ["problems"] = invalid.Problems });
        }
    }
}
