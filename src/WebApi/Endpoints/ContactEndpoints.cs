using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Common.Paging;
using OneInbox.Application.Contacts;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class ContactEndpoints
{
    public sealed record UpdateContactBody(
        string? DisplayName,
        IReadOnlyList<string>? PhoneNumbers,
        IReadOnlyList<string>? Emails,
        string? Company,
        string? Locale,
        string? AvatarKey,
        IReadOnlyList<string>? Tags,
        IReadOnlyDictionary<string, JsonElement>? Attributes,
        bool? ProcessingRestricted,
        bool? Blocked);

    public sealed record IdentityBody(ChannelType Channel, string ExternalId, string? Username);

    public sealed record NoteBody(string Text);

    public sealed record ConsentBody(bool Granted, string Purpose, string LegalBasis, string Source);

    public sealed record MergeBody(Guid DuplicateId);

    public static RouteGroupBuilder MapContactEndpoints(this RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts");
        var read = contacts.MapGroup(string.Empty).RequireAuthorization(Policies.Read);
        var work = contacts.MapGroup(string.Empty).RequireAuthorization(Policies.Work);

        work.MapPost("/", async Task<Created<ContactDto>> (CreateContact command, ISender sender, CancellationToken ct) =>
            {
                var contact = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/contacts/{contact.Id}", contact);
            })
            .WithName("CreateContact")
            .WithSummary("Create a contact.");

        read.MapGet("/{contactId:guid}", async Task<Ok<ContactDto>> (Guid contactId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetContact(contactId), ct)))
            .WithName("GetContact").RecordsAccess("contact.read")
            .WithSummary("Get one contact.");

        read.MapGet("/", async Task<Ok<CursorPage<ContactDto>>> (
                    string? search, string? tag, string? attribute, string? channel, string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListContacts(search, cursor, limit, tag, attribute, QueryValues.Enum<ChannelType>(channel, nameof(channel))), ct)))
            .WithName("ListContacts").RecordsAccess("contact.search")
            .WithSummary("List contacts, newest first; search matches a name prefix (listed in name order), an email, a phone number or a channel account; filter by tag, attribute (key:value) and channel.");

        work.MapPatch("/{contactId:guid}", async Task<Ok<ContactDto>> (Guid contactId, UpdateContactBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new UpdateContact(contactId, body.DisplayName, body.PhoneNumbers, body.Emails, body.Company, body.Locale,
                    body.AvatarKey, body.Tags, body.Attributes, body.ProcessingRestricted, body.Blocked), ct)))
            .WithName("UpdateContact")
            .WithSummary("Change some fields of a contact; fields left out stay as they are, attributes set to null are removed.");

        work.MapDelete("/{contactId:guid}", async Task<NoContent> (Guid contactId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteContact(contactId), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteContact")
            .WithSummary("Delete a contact with its channel accounts, notes, conversations and messages.");

        read.MapGet("/{contactId:guid}/identities", async Task<Ok<IReadOnlyList<ChannelIdentityDto>>> (Guid contactId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListChannelIdentities(contactId), ct)))
            .WithName("ListChannelIdentities").RecordsAccess("contact.identities.read")
            .WithSummary("The contact's channel accounts.");

        work.MapPost("/{contactId:guid}/identities", async Task<Created<ChannelIdentityDto>> (Guid contactId, IdentityBody body, ISender sender, CancellationToken ct) =>
            {
                var identity = await sender.Send(new AddChannelIdentity(contactId, body.Channel, body.ExternalId, body.Username), ct);
                return TypedResults.Created($"/api/v1/contacts/{contactId}/identities/{identity.Id}", identity);
            })
            .WithName("AddChannelIdentity")
            .WithSummary("Link a channel account to the contact (409 if it belongs to another contact: merge them instead).");

        work.MapDelete("/{contactId:guid}/identities/{identityId:guid}", async Task<NoContent> (Guid contactId, Guid identityId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RemoveChannelIdentity(contactId, identityId), ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveChannelIdentity")
            .WithSummary("Unlink a channel account.");

        work.MapPost("/{contactId:guid}/notes", async Task<Created<ContactNoteDto>> (Guid contactId, NoteBody body, ISender sender, CancellationToken ct) =>
            {
                var note = await sender.Send(new AddContactNote(contactId, body.Text), ct);
                return TypedResults.Created($"/api/v1/contacts/{contactId}/timeline", note);
            })
            .WithName("AddContactNote")
            .WithSummary("Add a note to the contact.");

        read.MapGet("/{contactId:guid}/consents", async Task<Ok<IReadOnlyList<ConsentRecord>>> (Guid contactId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListConsentHistory(contactId), ct)))
            .WithName("ListConsentHistory").RecordsAccess("contact.consents.read")
            .WithSummary("The contact's marketing consent decisions, newest first.");

        work.MapPost("/{contactId:guid}/consents", async Task<Created<ConsentRecord>> (Guid contactId, ConsentBody body, ISender sender, CancellationToken ct) =>
            {
                var record = await sender.Send(new RecordConsent(contactId, body.Granted, body.Purpose, body.LegalBasis, body.Source), ct);
                return TypedResults.Created($"/api/v1/contacts/{contactId}/consents", record);
            })
            .WithName("RecordConsent")
            .WithSummary("Record a marketing consent decision (purpose, legal basis, source).");

        work.MapPost("/{contactId:guid}/merge", async Task<Ok<ContactDto>> (Guid contactId, MergeBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new MergeContacts(contactId, body.DuplicateId), ct)))
            .WithName("MergeContacts")
            .WithSummary("Merge the duplicate into this contact: accounts, conversations, notes, tags and attributes move here; the duplicate is deleted.");

        read.MapGet("/{contactId:guid}/timeline", async Task<Ok<CursorPage<TimelineItemDto>>> (
                    Guid contactId, string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetContactTimeline(contactId, cursor, limit), ct)))
            .WithName("GetContactTimeline").RecordsAccess("contact.timeline.read")
            .WithSummary("Every message, note, status change and assignment with the contact across channels, newest first.");

        work.MapPost("/import", async Task<Ok<ImportedContacts>> (HttpRequest request, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ImportContacts(request.Body), ct)))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(10 * 1024 * 1024))
            .WithName("ImportContacts")
            .WithSummary("Import contacts from CSV (displayName, phoneNumbers, emails, company, locale, tags; lists separated by ';'). All rows or none; errors name each bad line.")
            .WithDescription("Custom attributes go in one column each, headed attribute:<key> (for example attribute:plan), for attributes the workspace defines; "
                + "values are checked as the API checks them (numbers with a '.' decimal point, dates as yyyy-MM-dd, booleans true/false, list values exactly as defined). "
                + "An empty cell leaves the attribute unset. A column naming an undefined attribute fails the whole file; a bad value fails with the line and column. "
                + "An export's id column is ignored: an import always creates new contacts, so an export imports as it is.");

        read.MapGet("/export", async (HttpResponse response, ISender sender, CancellationToken ct) =>
            {
                response.ContentType = "text/csv; charset=utf-8";
                response.Headers.ContentDisposition = "attachment; filename=contacts.csv";
                await sender.Send(new ExportContacts(response.Body), ct);
            })
            .WithName("ExportContacts").RecordsAccess("contact.export")
            .WithSummary("Export every contact as CSV, with one attribute:<key> column per custom attribute; the file imports again as it is.");

        var attributes = api.MapGroup("/contact-attributes").WithTags("Contacts");
        attributes.MapGet("/", async Task<Ok<IReadOnlyList<AttributeDefinitionDto>>> (ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListAttributeDefinitions(), ct)))
            .RequireAuthorization(Policies.Read)
            .WithName("ListContactAttributes")
            .WithSummary("The workspace's custom contact attributes.");
        attributes.MapPost("/", async Task<Created<AttributeDefinitionDto>> (CreateAttributeDefinition command, ISender sender, CancellationToken ct) =>
            {
                var definition = await sender.Send(command, ct);
                return TypedResults.Created($"/api/v1/contact-attributes/{definition.Key}", definition);
            })
            .RequireAuthorization(Policies.Manage)
            .WithName("CreateContactAttribute")
            .WithSummary("Define a custom contact attribute: text, number, date, boolean or list (with options).");

        return api;
    }
}
