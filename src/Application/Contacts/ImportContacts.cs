using CsvHelper;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>
/// Imports contacts from CSV (columns displayName, phoneNumbers, emails, company, locale, tags; lists
/// separated by ';'; plus one <c>attribute:&lt;key&gt;</c> column per custom attribute to set). Every row is
/// checked first and every bad row reported; only a file without errors is stored, all of it in one transaction.
/// </summary>
public sealed record ImportContacts(Stream Csv) : ICommand<ImportedContacts>;

public sealed record ImportedContacts(int Count);

public sealed class ImportContactsHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<ImportContacts, ImportedContacts>
{
    public const int MaxRows = 10_000;
    private static readonly string[] Known = ["displayName", "phoneNumbers", "emails", "company", "locale", "tags"];

    /// <summary>
    /// An export's id column, read and ignored: an import always creates contacts with ids of their own, so that a
    /// file exported here imports as it is (into this workspace or another one).
    /// </summary>
    private const string IgnoredIdColumn = "id";

    /// <summary>
    /// Attribute columns carry a prefix so that a workspace's attribute keys (which it chooses freely) can never
    /// collide with the fixed columns, today's or tomorrow's.
    /// </summary>
    public const string AttributePrefix = "attribute:";

    public async ValueTask<ImportedContacts> Handle(ImportContacts command, CancellationToken cancellationToken)
    {
        await using var csv = CsvReader.Create(command.Csv, null, true);
        await csv.ReadHeaderAsync(cancellationToken);
        var headers = csv.Headers.Select(h => h.Trim()).Where(h => h.Length > 0).ToList();
        if (headers.Count == 0)
            throw Invalid(new ValidationFailure("csv", "The file is empty; the first line names the columns."));
        var unknown = headers.Where(h => !Known.Contains(h, StringComparer.OrdinalIgnoreCase) && !IsAttributeColumn(h)
                                         && !h.Equals(IgnoredIdColumn, StringComparison.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0 || !headers.Contains("displayName", StringComparer.OrdinalIgnoreCase))
            throw Invalid(new ValidationFailure("csv",
                $"Columns must be among {string.Join(", ", Known)} or {AttributePrefix}<key> (an export's id column is ignored), and include displayName{(unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : string.Empty)}."));
        var attributeColumns = await AttributeColumnsAsync(csv.Headers, cancellationToken);

        var failures = new List<ValidationFailure>();
        var contacts = new List<Contact>();
        var row = 1;
        while (await csv.ReadAsync(cancellationToken))
        {
            row++;
            if (row - 1 > MaxRows)
                throw Invalid(new ValidationFailure("csv", $"A file has at most {MaxRows} contacts."));
            var rowFailures = new List<ValidationFailure>();
            var name = Field(csv, "displayName") ?? string.Empty;
            var phones = List(Field(csv, "phoneNumbers"));
            var emails = List(Field(csv, "emails"));
            var tags = List(Field(csv, "tags"));
            if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > Contact.MaxDisplayNameLength)
                rowFailures.Add(new($"rows[{row}].displayName", $"Line {row}: a display name has 1 to {Contact.MaxDisplayNameLength} characters."));
            rowFailures.AddRange(phones.Where(p => !ContactRules.IsPhoneNumber(p))
                .Select(p => new ValidationFailure($"rows[{row}].phoneNumbers", $"Line {row}: '{p}' is not a phone number in international form.")));
            rowFailures.AddRange(emails.Where(e => !new EmailValidatorProbe().IsEmail(e))
                .Select(e => new ValidationFailure($"rows[{row}].emails", $"Line {row}: '{e}' is not an email address.")));
            var attributes = new List<KeyValuePair<string, string?>>();
            foreach (var column in attributeColumns)
            {
                // An empty cell leaves the attribute unset, as the export writes an unset one.
                if (Field(csv, column.Header) is not { } raw)
                    continue;
                if (column.Definition.Canonical(raw) is { } canonical)
                    attributes.Add(new(column.Definition.Key, canonical));
                else
                    rowFailures.Add(new($"rows[{row}].{column.Name}",
                        $"Line {row}, column {column.Name}: '{column.Definition.Key}' takes a {ContactLookup.Describe(column.Definition)}."));
            }
            if (rowFailures.Count > 0)
            {
                failures.AddRange(rowFailures);
                continue;
            }
            try
            {
                var contact = Contact.Create(name, phones.Select(ContactRules.NormalizePhone), emails, clock);
                if (Field(csv, "company") is { } company)
                    contact.SetCompany(company, clock);
                if (Field(csv, "locale") is { } locale)
                    contact.SetLocale(locale, clock);
                if (tags.Count > 0)
                    contact.SetTags(tags, clock);
                if (attributes.Count > 0)
                    contact.SetAttributes(attributes, clock);
                contacts.Add(contact);
            }
            catch (Domain.Common.DomainException rule)
            {
                failures.Add(new ValidationFailure($"rows[{row}]", $"Line {row}: {rule.Message}"));
            }
        }

        if (failures.Count > 0)
            throw new ValidationException(failures);
        if (contacts.Count == 0)
            throw Invalid(new ValidationFailure("csv", "The file has no contacts below its header."));

        db.Contacts.AddRange(contacts);
        await db.SaveChangesAsync(cancellationToken);
        return new ImportedContacts(contacts.Count);
    }

    private static bool IsAttributeColumn(string header) => header.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Pairs each attribute column with the workspace's definition of its key. A column naming no attribute, or
    /// naming one twice, is a mistake in the whole file rather than in a row, so it fails once, naming the column.
    /// </summary>
    private async Task<List<AttributeColumn>> AttributeColumnsAsync(IEnumerable<string> headers, CancellationToken cancellationToken)
    {
        var columns = headers.Where(h => IsAttributeColumn(h.Trim()))
            .Select(h => (Header: h, Key: h.Trim()[AttributePrefix.Length..].Trim()))
            .ToList();
        if (columns.Count == 0)
            return [];
        var keys = columns.Select(c => c.Key).Distinct(StringComparer.Ordinal).ToList();
        var definitions = await db.AttributeDefinitions.AsNoTracking()
            .Where(d => keys.Contains(d.Key))
            .ToDictionaryAsync(d => d.Key, StringComparer.Ordinal, cancellationToken);

        var failures = columns.Where(c => !definitions.ContainsKey(c.Key))
            .Select(c => new ValidationFailure("csv",
                $"Column '{AttributePrefix}{c.Key}' names no contact attribute of this workspace; define '{c.Key}' first (POST /api/v1/contact-attributes) or remove the column."))
            .Concat(columns.GroupBy(c => c.Key, StringComparer.Ordinal).Where(g => g.Count() > 1)
                .Select(g => new ValidationFailure("csv", $"Column '{AttributePrefix}{g.Key}' appears more than once.")))
            .ToList();
        if (failures.Count > 0)
            throw new ValidationException(failures);
        return columns.Select(c => new AttributeColumn(c.Header, AttributePrefix + c.Key, definitions[c.Key])).ToList();
    }

    private sealed record AttributeColumn(string Header, string Name, AttributeDefinition Definition);

    private static string? Field(CsvReader csv, string name) =>
        csv.TryGetFieldIndex(name, out _) && csv.GetStringOrNull(name) is { } value && !string.IsNullOrWhiteSpace(value) ? Unescape(value.Trim()) : null;

    /// <summary>Our export escapes cells a spreadsheet would run as formulas ("'+1415..."); importing that file again must give the values back.</summary>
    private static string Unescape(string value) =>
        value.Length > 1 && value[0] == '\'' && "=+-@".Contains(value[1], StringComparison.Ordinal) ? value[1..] : value;

    private static List<string> List(string? value) =>
        value is null ? [] : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Unescape).ToList();

    private static ValidationException Invalid(ValidationFailure failure) => new([failure]);

    /// <summary>The same email rule as the API's contact validators.</summary>
    private sealed class EmailValidatorProbe : AbstractValidator<string>
    {
        public EmailValidatorProbe() => RuleFor(e => e).EmailAddress();

        public bool IsEmail(string value) => Validate(value).IsValid;
    }
}
