using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Common.Paging;
using OneInbox.Application.Contacts;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class ContactEndpoints
{
    public static RouteGroupBuilder MapContactEndpoints(this RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts");

        contacts.MapPost("/", async Task<Created<ContactDto>> (CreateContact command, ISender sender, CancellationToken ct) =>
            {
                var contact = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/contacts/{contact.Id}", contact);
            })
            .WithName("CreateContact")
            .RequireAuthorization(Policies.Work)
            .WithSummary("Create a contact.");

        contacts.MapGet("/{contactId:guid}", async Task<Ok<ContactDto>> (Guid contactId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetContact(contactId), ct)))
            .WithName("GetContact")
            .RequireAuthorization(Policies.Read)
            .WithSummary("Get one contact.");

        contacts.MapGet("/", async Task<Ok<CursorPage<ContactDto>>> (string? search, string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListContacts(search, cursor, limit), ct)))
            .WithName("ListContacts")
            .RequireAuthorization(Policies.Read)
            .WithSummary("List contacts, newest first; search matches a name prefix, an email or a phone number.");

        return api;
    }
}
