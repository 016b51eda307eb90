using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OneInbox.Application.Accountability;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Paging;
using OneInbox.Application.Identity;
using OneInbox.Domain.Identity;
using OneInbox.WebApi.Identity;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class IdentityEndpoints
{
    public sealed record ChangeRoleBody(WorkspaceRole Role);

    public static RouteGroupBuilder MapIdentityEndpoints(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me").RequireAuthorization();
        me.MapGet("/", async Task<Ok<MeDto>> (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetMe(), ct)))
            .WithName("GetMe").WithSummary("The signed-in user, their active workspace and the workspaces they can switch to.")
            .RequireAuthorization(Policies.Read);
        me.MapPost("/password", async Task<NoContent> (ChangePassword command, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(command, ct);
                return TypedResults.NoContent();
            })
            .WithName("ChangePassword").WithSummary("Change your password; every token issued before stops working.")
            .RequireAuthorization(Policies.Read);
        me.MapPost("/policy-acceptance", async Task<Ok<PolicyStatusDto>> (AcceptPrivacyPolicy command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .WithName("AcceptPrivacyPolicy")
            .WithSummary("Accept the current privacy policy (GET /me says which version is current and what changed since yours); recorded with the time.")
            .RequireAuthorization(Policies.Read);
        me.MapDelete("/", async Task<Ok<AccountDeletedDto>> ([FromBody] DeleteMyAccount command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .WithName("DeleteMyAccount")
            .WithSummary("Delete your own account (password required): name, email and password go, your messages stay as a former member's. "
                + "Workspaces where you are the only Owner close: 409 names them first, closeWorkspaces: true confirms. A confirmation mail follows.")
            .RequireAuthorization(Policies.Read);
        me.MapPut("/availability", async Task<Ok<MemberDto>> (SetMyAvailability command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .WithName("SetMyAvailability")
            .WithSummary("Say whether you take new conversations in this workspace (online, away, offline); team routing only picks online members.")
            .RequireAuthorization(Policies.Work);

        var members = api.MapGroup("/members").WithTags("Members");
        members.MapGet("/", async Task<Ok<ItemsOf<MemberDto>>> (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListMembers(), ct)))
            .WithName("ListMembers").RequireAuthorization(Policies.Read);
        members.MapPatch("/{userId:guid}", async Task<Ok<MemberDto>> (Guid userId, ChangeRoleBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ChangeMemberRole(userId, body.Role), ct)))
            .WithName("ChangeMemberRole").RequireAuthorization(Policies.Manage);
        members.MapDelete("/{userId:guid}", async Task<NoContent> (Guid userId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RemoveMember(userId), ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveMember").RequireAuthorization(Policies.Manage);

        var invitations = api.MapGroup("/invitations").WithTags("Members").RequireAuthorization(Policies.Manage);
        invitations.MapPost("/", async Task<Created<CreatedInvitationDto>> (CreateInvitation command, ISender sender, CancellationToken ct) =>
            {
                var invitation = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/invitations/{invitation.Id}", invitation);
            })
            .WithName("CreateInvitation").WithSummary("Invite someone by email; the token in the answer is shown only this once.");
        invitations.MapGet("/", async Task<Ok<ItemsOf<InvitationDto>>> (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListInvitations(), ct)))
            .WithName("ListInvitations");
        invitations.MapDelete("/{invitationId:guid}", async Task<NoContent> (Guid invitationId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RevokeInvitation(invitationId), ct);
                return TypedResults.NoContent();
            })
            .WithName("RevokeInvitation");
        api.MapPost("/invitations/accept", async Task<Ok<WorkspaceMembershipDto>> (AcceptInvitation command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .WithTags("Members").WithName("AcceptInvitation").AllowAnonymous()
            .WithSummary("Accept an invitation with its token (authenticated by the token itself).");

        var clients = api.MapGroup("/integration-clients").WithTags("Integration clients").RequireAuthorization(Policies.Manage);
        clients.MapPost("/", async Task<Created<CreatedIntegrationClientDto>> (CreateIntegrationClient command, ISender sender, CancellationToken ct) =>
            {
                var client = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/integration-clients/{client.Id}", client);
            })
            .WithName("CreateIntegrationClient").WithSummary("Create a client-credentials client; the secret is shown only this once.");
        clients.MapGet("/", async Task<Ok<ItemsOf<IntegrationClientDto>>> (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListIntegrationClients(), ct)))
            .WithName("ListIntegrationClients");
        clients.MapDelete("/{clientId:guid}", async Task<NoContent> (Guid clientId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RevokeIntegrationClient(clientId), ct);
                return TypedResults.NoContent();
            })
            .WithName("RevokeIntegrationClient");

        var workspace = api.MapGroup("/workspace").WithTags("Workspace");
        workspace.MapGet("/", async Task<Ok<WorkspaceDto>> (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetWorkspace(), ct)))
            .WithName("GetWorkspace").RequireAuthorization(Policies.Read);
        workspace.MapPatch("/", async Task<Ok<WorkspaceDto>> (UpdateWorkspace command, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(command, ct)))
            .WithName("UpdateWorkspace").RequireAuthorization(Policies.Manage)
            .WithSummary("Change the name, the time zone or the business hours (weekly opening hours and closed dates); what is left out stays.");
        workspace.MapGet("/processing-record", async Task<IResult> (string? format, ISender sender, CancellationToken ct) =>
            {
                var record = await sender.Send(new GetProcessingRecord(), ct);
                return format switch
                {
                    null or "json" => TypedResults.Ok(record),
                    "markdown" => TypedResults.Text(ProcessingRecordMarkdown.Render(record), "text/markdown; charset=utf-8"),
                    _ => throw new Application.Common.Exceptions.UnprocessableException("format", "The format is json or markdown."),
                };
            })
            .WithName("GetProcessingRecord").RequireAuthorization(Policies.Accountability).Produces<ProcessingRecordDto>()
            .WithSummary("The basis of the workspace's GDPR art. 30 record: channels and providers, data categories with counts, retention, automated decisions, encryption, open privacy requests, who has access (?format=markdown for a document).");

        workspace.MapPost("/close", async Task<Ok<WorkspaceClosureDto>> (CloseWorkspace command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .WithName("CloseWorkspace").RequireAuthorization(Policies.Manage)
            .WithSummary($"Owner only: close the workspace (confirmName repeats its name). Channels are disconnected, members and clients lose access at once, "
                + $"bots stop; the data is kept {Domain.Workspaces.Workspace.ClosureGraceDays} days (a platform administrator may reopen it), then purged with its keys.");

        var platform = api.MapGroup("/workspaces").WithTags("Workspace").RequireAuthorization(Policies.PlatformAdmin);
        platform.MapGet("/closed", async Task<Ok<ItemsOf<WorkspaceClosureDto>>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListClosedWorkspaces(), ct)))
            .WithName("ListClosedWorkspaces").WithSummary("Platform admins: closed workspaces and the day each is purged.");
        platform.MapPost("/{workspaceId:guid}/reopen", async Task<Ok<WorkspaceClosureDto>> (Guid workspaceId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReopenWorkspace(workspaceId), ct)))
            .WithName("ReopenWorkspace").WithSummary("Platform admins: reopen a closed workspace before its purge; access and channels come back.");

        api.MapPost("/workspaces", async Task<Created<WorkspaceDto>> (CreateWorkspace command, ISender sender, CancellationToken ct) =>
            {
                var created = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/workspaces/{created.Id}", created);
            })
            .WithTags("Workspace").WithName("CreateWorkspace").RequireAuthorization(Policies.PlatformAdmin)
            .WithSummary("Platform admins create workspaces; the owner is an existing user (the caller by default).");

        api.MapPost("/signup", async Task<Results<Created<WorkspaceDto>, NotFound>> (SignUp command, ISender sender, IOptions<OneInboxIdentityOptions> options, CancellationToken ct) =>
            {
                if (!options.Value.AllowSelfSignup)
                    return TypedResults.NotFound();
                var created = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/workspaces/{created.Id}", created);
            })
            .WithTags("Workspace").WithName("SignUp").AllowAnonymous()
            .WithSummary("Self-service sign-up (only where the installation enables it; 404 otherwise).");

        var audit = api.MapGroup("/audit-events").WithTags("Audit").RequireAuthorization(Policies.Audit);
        audit.MapGet(string.Empty, async Task<Ok<CursorPage<AuditEventDto>>> (
                    string? action, string? actor, Guid? contactId, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit,
                    ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListAuditEvents(new AuditEventFilter(action, actor, contactId, from, to), cursor, limit), ct)))
            .WithName("ListAuditEvents")
            .WithSummary("The audit log, newest first: sign-ins, membership and role changes, clients, and every access to personal data "
                + "(who, which record, the contact it concerns, IP, user agent, client). Filter by action, actor, contactId, from and to.");

        audit.MapGet("/export", async (string? action, string? actor, Guid? contactId, DateTimeOffset? from, DateTimeOffset? to,
                    HttpResponse response, ISender sender, CancellationToken ct) =>
            {
                response.ContentType = "text/csv; charset=utf-8";
                response.Headers.ContentDisposition = "attachment; filename=audit-events.csv";
                await sender.Send(new ExportAuditEvents(new AuditEventFilter(action, actor, contactId, from, to), response.Body), ct);
            })
            .WithName("ExportAuditEvents")
            .WithSummary("The same events as CSV (same filters), for an auditor's records.");
        return api;
    }
}
