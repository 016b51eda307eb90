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
/// (search), a tag, an attribute value ("key:value") and a channel.
/// </summary>
public sealed record ListContacts(string? Search, string? Cursor, int? Limit, string? Tag = null, string? Attribute = null, ChannelType? Channel = null)
    : IQuery<CursorPage<ContactDto>>;

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
        RuleFor(q => q.Cursor).Must(Cursor.IsValid).WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class ContactsPageSpec : Specification<Contact>
{
    public ContactsPageSpec(string? search, string? tag, string? attributeEntry, IReadOnlyList<Guid> accountMatches, IQueryable<Guid>? onChannel, Guid? after, int take)
    {
        Query.AsNoTracking();
        if (after is { } last)
            Query.Where(c => c.Id < last);
        if (!string.IsNullOrWhiteSpace(search))
        {
            // One index per kind of term: a phone number or an address is matched by array containment
            // (a GIN index on PostgreSQL), anything else as a name prefix (an expression index on the lower-cased
            // name) or as a channel account found beforehand. An OR across all of them would scan the table.
            var term = search.Trim();
            var lowered = term.ToLowerInvariant();
            if (ContactRules.TryNormalizePhone(term, out var e164))
            {
                var phones = new[] { e164 };
                Query.Where(c => phones.All(p => c.PhoneNumbers.Contains(p)));
            }
            else if (term.Contains('@', StringComparison.Ordinal))
            {
                var emails = new[] { lowered };
                Query.Where(c => emails.All(e => c.Emails.Contains(e)));
            }
            else if (accountMatches.Count > 0)
            {
                Query.Where(c => c.DisplayName.ToLower().StartsWith(lowered) || accountMatches.Contains(c.Id));
            }
            else
            {
                Query.Where(c => c.DisplayName.ToLower().StartsWith(lowered));
            }
        }
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var normalized = tag.Trim().ToLowerInvariant();
            Query.Where(c => c.Tags.Contains(normalized));
        }
        if (attributeEntry is not null)
            Query.Where(c => c.AttributeIndex.Contains(attributeEntry));
        if (onChannel is not null)
            Query.Where(c => onChannel.Contains(c.Id));
        Query.OrderByDescending(c => c.Id).Take(take);
    }
}

public sealed class ListContactsHandler(IOneInboxDb db) : IQueryHandler<ListContacts, CursorPage<ContactDto>>
{
    public async ValueTask<CursorPage<ContactDto>> Handle(ListContacts query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Cursor.DefaultLimit;
        Guid? after = Cursor.TryDecode(query.Cursor, out var last) ? last : null;

        var term = query.Search?.Trim();
        List<Guid> accountMatches = string.IsNullOrEmpty(term)
            ? []
            : await db.ChannelIdentities.AsNoTracking().Where(i => i.ExternalId == term || i.Username == term)
                .Select(i => i.ContactId).Take(Cursor.MaxLimit).ToListAsync(cancellationToken);
        var onChannel = query.Channel is { } channel
            ? db.ChannelIdentities.Where(i => i.Channel == channel).Select(i => i.ContactId)
            : null;

        var rows = await db.Contacts.WithSpecification(new ContactsPageSpec(query.Search, query.Tag, await AttributeEntryAsync(query.Attribute, cancellationToken),
                accountMatches, onChannel, after, limit + 1))
            .ProjectToDto()
            .ToListAsync(cancellationToken);
        return Cursor.Page(rows, limit, c => c.Id);
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
