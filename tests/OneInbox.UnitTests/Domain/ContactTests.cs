using Microsoft.Extensions.Time.Testing;
using OneInbox.Domain.Common;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Contacts.Events;

namespace OneInbox.UnitTests.Domain;

public class ContactTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_new_contact_records_when_it_was_created_and_announces_itself()
    {
        var contact = Contact.Create("  Ann  ", ["+14155550123"], ["ANN@example.com"], _clock);

        Assert.Equal("Ann", contact.DisplayName);
        Assert.Equal(["ann@example.com"], contact.Emails);
        Assert.Equal(_clock.GetUtcNow(), contact.CreatedAt);
        Assert.Equal(new ContactCreated(contact.Id), Assert.Single(contact.DomainEvents));
    }

    [Fact]
    public void Duplicate_numbers_and_addresses_are_kept_once()
    {
        var contact = Contact.Create("Ann", ["+14155550123", "+14155550123"], ["a@example.com", "A@example.com"], _clock);

        Assert.Single(contact.PhoneNumbers);
        Assert.Single(contact.Emails);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_contact_needs_a_name(string name)
    {
        var error = Assert.Throws<DomainException>(() => Contact.Create(name, [], [], _clock));
        Assert.Equal("contact.displayName", error.Code);
    }

    [Fact]
    public void A_phone_number_must_be_in_E164_form()
    {
        var error = Assert.Throws<DomainException>(() => Contact.Create("Ann", ["0415 555 0123"], [], _clock));
        Assert.Equal("contact.phoneNumbers", error.Code);
    }

    [Fact]
    public void Renaming_updates_the_time_of_change()
    {
        var contact = Contact.Create("Ann", [], [], _clock);
        _clock.Advance(TimeSpan.FromMinutes(5));

        contact.Rename("Ann Lee", _clock);

        Assert.Equal("Ann Lee", contact.DisplayName);
        Assert.Equal(_clock.GetUtcNow(), contact.UpdatedAt);
        Assert.Contains(new ContactUpdated(contact.Id), contact.DomainEvents);
    }
}
