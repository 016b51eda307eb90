using CsvHelper;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.Contacts;

/// <summary>
/// Writes every contact of the workspace as CSV, in the columns the import reads (plus id), streaming row by row:
/// one <c>attribute:&lt;key&gt;</c> column per attribute the workspace defines, empty where a contact has no value,
/// so that the file imports again as it is.
/// </summary>
public sealed record ExportContacts(Stream Output) : ICommand<int>;

public sealed class ExportContactsHandler(IOneInboxDb db) : ICommandHandler<ExportContacts, int>
{
    public async ValueTask<int> Handle(ExportContacts command, CancellationToken cancellationToken)
    {
        // Names and tags are typed by customers and agents: a spreadsheet must not run one as a formula.
        await using var csv = CsvWriter.Create(command.Output, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        var attributeKeys = await db.AttributeDefinitions.AsNoTracking().OrderBy(d => d.Key).Select(d => d.Key).ToListAsync(cancellationToken);
        csv.WriteHeader(["id", "displayName", "phoneNumbers", "emails", "company", "locale", "tags",
            .. attributeKeys.Select(k => ImportContactsHandler.AttributePrefix + k)]);

        var count = 0;
        await foreach (var contact in db.Contacts.AsNoTracking().OrderBy(c => c.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await csv.WriteRecordAsync([
                contact.Id.ToString(),
                contact.DisplayName,
                string.Join(';', contact.PhoneNumbers),
                string.Join(';', contact.Emails),
                contact.Company ?? string.Empty,
                contact.Locale ?? string.Empty,
                string.Join(';', contact.Tags),
                .. attributeKeys.Select(k => contact.Attributes.TryGetValue(k, out var value) ? value : string.Empty)], cancellationToken);
            count++;
        }
        await csv.FlushAsync(cancellationToken);
        return count;
    }
}
