using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Flows;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class ActivityDescriptorEndpoints
{
    public static RouteGroupBuilder MapActivityDescriptorEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/activity-descriptors", async Task<Ok<IReadOnlyList<ActivityDescriptorDto>>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListActivityDescriptors(), ct)))
            .WithTags("Flows")
            .RequireAuthorization(Policies.Read)
            .WithName("ListActivityDescriptors")
            .WithSummary("The activities the designer offers: inputs, defaults and outcome ports.");
        return api;
    }
}
