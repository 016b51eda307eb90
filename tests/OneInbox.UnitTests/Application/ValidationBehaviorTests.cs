using FluentValidation;
using Mediator;
using OneInbox.Application.Common.Behaviors;
using OneInbox.Application.Contacts;

namespace OneInbox.UnitTests.Application;

public class ValidationBehaviorTests
{
    [Fact]
    public async Task An_invalid_message_never_reaches_its_handler()
    {
        var behavior = new ValidationBehavior<CreateContact, ContactDto>([new CreateContactValidator()]);
        var reached = false;

        var error = await Assert.ThrowsAsync<ValidationException>(async () => await behavior.Handle(
            new CreateContact("", ["555"], null),
            (_, _) => { reached = true; return ValueTask.FromResult<ContactDto>(null!); },
            CancellationToken.None));

        Assert.False(reached);
        Assert.Contains(error.Errors, e => e.PropertyName == "DisplayName");
        Assert.Contains(error.Errors, e => e.PropertyName == "PhoneNumbers[0]");
    }

    [Fact]
    public async Task A_valid_message_passes_through()
    {
        var behavior = new ValidationBehavior<CreateContact, ContactDto>([new CreateContactValidator()]);
        var expected = new ContactDto(Guid.NewGuid(), "Ann", [], [], null, null, null, [], new Dictionary<string, string>(), false, false, false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var result = await behavior.Handle(new CreateContact("Ann", ["+14155550123"], ["ann@example.com"]),
            (_, _) => ValueTask.FromResult(expected), CancellationToken.None);

        Assert.Same(expected, result);
    }
}
