using Ardalis.Specification;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Paging;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>
/// Contacts newest first, optionally narrowed by a name prefix, email, phone number or channel account
/// (search), a tag, an attribute value ("key:value") and a channel. A name search lists in name order,
/// the order a person scanning names expects and the one its index gives.
/// </summary>
public sealed record ListContacts(string? Search, string? Cursor, int? Limit, string? Tag = null, string? Attribute = null, ChannelType? Channel = null)
    : IQuery<CursorPage<ContactDto>>
{
    /// <summary>A term that is neither a phone number nor an address is matched as a name prefix (or a channel account).</summary>
    internal bool SearchesByName =>
        !string.IsNullOrWhiteSpace(Search) && !ContactRules.TryNormalizePhone(Search.Trim(), out _) && !Search.Contains('@', StringComparison.Ordinal);
}

public sealed class ListContactsValidator : AbstractValidator<ListContacts>
{
    public ListContactsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.Search).MaximumLength(200);
        RuleFor(q => q.Tag).MaximumLength(Contact.MaxTagLength);
        RuleFor(q => q.Channel).IsInEnum();
        RuleFor(q => q.Attribute).Must(a => a is null || a.IndexOf(':', StringComparison.Ordinal) > 0)
            .WithMessage("An attribute filter reads key:value, for example plan:gold.");
        RuleFor(q => q.Cursor).Must((q, cursor) => q.SearchesByName ? Cursor.IsValidKeyed(cursor) : Cursor.IsValid(cursor))
            .WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class ContactsPageSpec : Specification<Contact>
{
    public ContactsPageSpec(ListContacts query, IReadOnlyList<Guid> accountMatches, IQueryable<Guid>? onChannel, string? attributeEntry, int take)
    {
        Query.AsNoTracking();
        var term = query.Search?.Trim();
        if (query.SearchesByName)
        {
            // A name prefix is one range of the (workspace, name key, id) index, which also gives the order;
            // the keyset continues after the last row's (name key, id).
            var prefix = Contact.KeyOf(term!);
            if (accountMatches.Count > 0)
                Query.Where(c => c.NameKey.StartsWith(prefix) || accountMatches.Contains(c.Id));
            else
                Query.Where(c => c.NameKey.StartsWith(prefix));
            if (Cursor.TryDecode(query.Cursor, out string lastKey, out var lastId))
                Query.Where(c => string.Compare(c.NameKey, lastKey) > 0 || (c.NameKey == lastKey && c.Id > lastId));
            Query.OrderBy(c => c.NameKey).ThenBy(c => c.Id);
        }
        else
        {
            // A phone number or an address is matched by array containment (a GIN index on PostgreSQL).
            if (!string.IsNullOrWhiteSpace(term) && ContactRules.TryNormalizePhone(term, out var e164))
            {
                var phones = new[] { e164 };
                Query.Where(c => phones.All(p => c.PhoneNumbers.Contains(p)));
            }
            else if (!string.IsNullOrWhiteSpace(term))
            {
                var emails = new[] { term.ToLowerInvariant() };
                Query.Where(c => emails.All(e => c.Emails.Contains(e)));
            }
            if (Cursor.TryDecode(query.Cursor, out Guid last))
                Query.Where(c => c.Id < last);
            Query.OrderByDescending(c => c.Id);
        }
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var normalized = query.Tag.Trim().ToLowerInvariant();
            Query.Where(c => c.Tags.Contains(normalized));
        }
        if (attributeEntry is not null)
            Query.Where(c => c.AttributeIndex.Contains(attributeEntry));
        if (onChannel is not null)
            Query.Where(c => onChannel.Contains(c.Id));
        Query.Take(take);
    }
}

public sealed class ListContactsHandler(IOneInboxDb db) : IQueryHandler<ListContacts, CursorPage<ContactDto>>
{
    public async ValueTask<CursorPage<ContactDto>> Handle(ListContacts query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var term = query.Search?.Trim();
        List<Guid> accountMatches = query.SearchesByName
            ? await db.ChannelIdentities.AsNoTracking().Where(i => i.ExternalId == term || i.Username == term)
                .Select(i => i.ContactId).Take(Cursor.MaxLimit).ToListAsync(cancellationToken)
            : [];
        var onChannel = query.Channel is { } channel
            ? db.ChannelIdentities.Where(i => i.Channel == channel).Select(i => i.ContactId)
            : null;

        var rows = await db.Contacts.WithSpecification(new ContactsPageSpec(query, accountMatches, onChannel,
                await AttributeEntryAsync(query.Attribute, cancellationToken), limit + 1))
            .ProjectToDto()
            .ToListAsync(cancellationToken);
        if (!query.SearchesByName)
            return Cursor.Page(rows, limit, c => c.Id);
        if (rows.Count <= limit)
            return new CursorPage<ContactDto>(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new CursorPage<ContactDto>(rows, Cursor.Encode(Contact.KeyOf(rows[^1].DisplayName), rows[^1].Id));
    }

    /// <summary>The filter value is compared in canonical form, so "plan:Gold " and numbers like "5.0" match what was stored.</summary>
    private async Task<string?> AttributeEntryAsync(string? filter, CancellationToken cancellationToken)
    {
        if (filter is null)
            return null;
        var split = filter.IndexOf(':', StringComparison.Ordinal);
        var key = filter[..split].Trim();
        var value = filter[(split + 1)..];
        var definition = await db.AttributeDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Key == key, cancellationToken)
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("attribute", $"'{key}' is not a contact attribute of this workspace.")]);
        var canonical = definition.Canonical(value)
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("attribute", $"'{value}' is not a valid value of '{key}'.")]);
        return Contact.AttributeEntry(key, canonical);
    }
}
