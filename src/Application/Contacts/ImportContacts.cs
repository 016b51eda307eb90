using CsvHelper;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>
/// Imports contacts from CSV (columns displayName, phoneNumbers, emails, company, locale, tags; lists
/// separated by ';'). Every row is checked first and every bad row reported; only a file without errors
/// is stored, all of it in one transaction.
/// </summary>
public sealed record ImportContacts(Stream Csv) : ICommand<ImportedContacts>;

public sealed record ImportedContacts(int Count);

public sealed class ImportContactsHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<ImportContacts, ImportedContacts>
{
    public const int MaxRows = 10_000;
    private static readonly string[] Known = ["displayName", "phoneNumbers", "emails", "company", "locale", "tags"];

    public async ValueTask<ImportedContacts> Handle(ImportContacts command, CancellationToken cancellationToken)
    {
        await using var csv = CsvReader.Create(command.Csv, null, true);
        await csv.ReadHeaderAsync(cancellationToken);
        var headers = csv.Headers.Select(h => h.Trim()).Where(h => h.Length > 0).ToList();
        if (headers.Count == 0)
            throw Invalid(new ValidationFailure("csv", "The file is empty; the first line names the columns."));
        var unknown = headers.Where(h => !Known.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0 || !headers.Contains("displayName", StringComparer.OrdinalIgnoreCase))
            throw Invalid(new ValidationFailure("csv",
                $"Columns must be among {string.Join(", ", Known)} and include displayName{(unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : string.Empty)}."));

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
