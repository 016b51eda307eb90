using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Teams;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class TeamEndpoints
{
    public sealed record UpdateTeamBody(string? Name, IReadOnlyList<Guid>? MemberIds);

    public static RouteGroupBuilder MapTeamEndpoints(this RouteGroupBuilder api)
    {
        var teams = api.MapGroup("/teams").WithTags("Teams");
        var read = teams.MapGroup(string.Empty).RequireAuthorization(Policies.Read);
        var manage = teams.MapGroup(string.Empty).RequireAuthorization(Policies.Manage);

        read.MapGet("/", async Task<Ok<IReadOnlyList<TeamDto>>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListTeams(), ct)))
            .WithName("ListTeams")
            .WithSummary("The workspace's teams with their members' user ids.");

        manage.MapPost("/", async Task<Created<TeamDto>> (CreateTeam command, ISender sender, CancellationToken ct) =>
            {
                var team = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/teams/{team.Id}", team);
            })
            .WithName("CreateTeam")
            .WithSummary("Create a team of members (user ids).");

        manage.MapPatch("/{teamId:guid}", async Task<Ok<TeamDto>> (Guid teamId, UpdateTeamBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new UpdateTeam(teamId, body.Name, body.MemberIds), ct)))
            .WithName("UpdateTeam")
            .WithSummary("Rename a team and/or replace its members.");

        manage.MapDelete("/{teamId:guid}", async Task<NoContent> (Guid teamId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteTeam(teamId), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteTeam")
            .WithSummary("Delete a team; its conversations leave its queue.");

        return api;
    }
}
