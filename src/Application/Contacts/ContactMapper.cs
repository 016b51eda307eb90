using OneInbox.Domain.Contacts;
using Riok.Mapperly.Abstractions;

namespace OneInbox.Application.Contacts;

[Mapper]
public static partial class ContactMapper
{
    public static partial IQueryable<ContactDto> ProjectToDto(this IQueryable<Contact> contacts);

    public static partial ContactDto ToDto(this Contact contact);
}
