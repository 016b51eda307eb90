using System.Globalization;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>Loading and attribute checks shared by the contact use cases.</summary>
internal static class ContactLookup
{
    public static async Task<Contact> GetContactAsync(this IOneInboxDb db, Guid contactId, CancellationToken cancellationToken) =>
        await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken)
        ?? throw new NotFoundException("Contact", contactId);

    public static async Task<ContactDto> ReadContactAsync(this IOneInboxDb db, Guid contactId, CancellationToken cancellationToken) =>
        await db.Contacts.AsNoTracking().Where(c => c.Id == contactId).ProjectToDto().FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Contact", contactId);

    /// <summary>
    /// Checks attribute values against the workspace's definitions and returns them in canonical form.
    /// JSON numbers and booleans are accepted as well as their text; null removes a value. Unknown names
    /// and values of the wrong type fail with one error per attribute.
    /// </summary>
    public static async Task<IReadOnlyList<KeyValuePair<string, string?>>> CanonicalAttributesAsync(
        this IOneInboxDb db, IReadOnlyDictionary<string, JsonElement> values, string field, CancellationToken cancellationToken)
    {
        var keys = values.Keys.ToList();
        var definitions = await db.AttributeDefinitions.AsNoTracking().Where(d => keys.Contains(d.Key)).ToDictionaryAsync(d => d.Key, cancellationToken);
        var failures = new List<ValidationFailure>();
        var result = new List<KeyValuePair<string, string?>>();
        foreach (var (key, element) in values)
        {
            var name = $"{field}.{key}";
            if (!definitions.TryGetValue(key, out var definition))
            {
                failures.Add(new ValidationFailure(name, $"'{key}' is not a contact attribute of this workspace; define it first."));
                continue;
            }
            if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                result.Add(new(key, null));
                continue;
            }
            var raw = element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (raw is not null && definition.Canonical(raw) is { } canonical)
                result.Add(new(key, canonical));
            else
                failures.Add(new ValidationFailure(name, $"'{key}' takes a {Describe(definition)}."));
        }
        if (failures.Count > 0)
            throw new ValidationException(failures);
        return result;
    }

    /// <summary>What a value of the attribute looks like, for error messages of the API and the CSV import alike.</summary>
    public static string Describe(AttributeDefinition definition) => definition.Type switch
    {
        AttributeType.Number => "number",
        AttributeType.Date => "date as yyyy-MM-dd",
        AttributeType.Boolean => "boolean",
        AttributeType.List => "value from its list: " + string.Join(", ", definition.Options),
        _ => string.Create(CultureInfo.InvariantCulture, $"text of 1 to {AttributeDefinition.MaxTextValueLength} characters"),
    };
}
