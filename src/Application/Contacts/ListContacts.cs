using Ardalis.Specification;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Paging;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>Contacts newest first, optionally narrowed by a name prefix, email or phone number.</summary>
public sealed record ListContacts(string? Search, string? Cursor, int? Limit) : IQuery<CursorPage<ContactDto>>;

public sealed class ListContactsValidator : AbstractValidator<ListContacts>
{
    public ListContactsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.Search).MaximumLength(200);
        RuleFor(q => q.Cursor).Must(Cursor.IsValid).WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class ContactsPageSpec : Specification<Contact>
{
    public ContactsPageSpec(string? search, Guid? after, int take)
    {
        Query.AsNoTracking();
        if (after is { } last)
            Query.Where(c => c.Id < last);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            var lowered = term.ToLowerInvariant();
            var phone = ContactRules.TryNormalizePhone(term, out var e164) ? e164 : null;
            Query.Where(c => c.DisplayName.StartsWith(term)
                || c.DisplayName.ToLower().StartsWith(lowered)
                || c.Emails.Contains(lowered)
                || (phone != null && c.PhoneNumbers.Contains(phone)));
        }
        Query.OrderByDescending(c => c.Id).Take(take);
    }
}

public sealed class ListContactsHandler(IOneInboxDb db) : IQueryHandler<ListContacts, CursorPage<ContactDto>>
{
    public async ValueTask<CursorPage<ContactDto>> Handle(ListContacts query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Cursor.DefaultLimit;
        Guid? after = Cursor.TryDecode(query.Cursor, out var last) ? last : null;
        var rows = await db.Contacts.WithSpecification(new ContactsPageSpec(query.Search, after, limit + 1))
            .ProjectToDto()
            .ToListAsync(cancellationToken);
        return Cursor.Page(rows, limit, c => c.Id);
    }
}
