using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>Defines a custom contact attribute of the workspace.</summary>
public sealed record CreateAttributeDefinition(string Key, string Label, AttributeType Type, IReadOnlyList<string>? Options) : ICommand<AttributeDefinitionDto>;

public sealed record AttributeDefinitionDto(Guid Id, string Key, string Label, AttributeType Type, IReadOnlyList<string> Options);

public sealed class CreateAttributeDefinitionValidator : AbstractValidator<CreateAttributeDefinition>
{
    public CreateAttributeDefinitionValidator()
    {
        RuleFor(c => c.Key).NotEmpty().Matches("^[a-z][a-z0-9_]{0,49}$")
            .WithMessage("A key has 1 to 50 lower case letters, digits or underscores, starting with a letter.");
        RuleFor(c => c.Label).NotEmpty().MaximumLength(AttributeDefinition.MaxLabelLength);
        RuleFor(c => c.Type).IsInEnum();
        RuleFor(c => c.Options).NotEmpty().WithMessage("A list attribute needs its options.").When(c => c.Type == AttributeType.List);
        RuleFor(c => c.Options).Empty().WithMessage("Only a list attribute has options.").When(c => c.Type != AttributeType.List);
        RuleFor(c => c.Options).Must(o => o is null || o.Count <= AttributeDefinition.MaxOptions)
            .WithMessage($"A list attribute has at most {AttributeDefinition.MaxOptions} options.");
    }
}

public sealed class CreateAttributeDefinitionHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<CreateAttributeDefinition, AttributeDefinitionDto>
{
    public async ValueTask<AttributeDefinitionDto> Handle(CreateAttributeDefinition command, CancellationToken cancellationToken)
    {
        if (await db.AttributeDefinitions.AnyAsync(d => d.Key == command.Key, cancellationToken))
            throw new ConflictException("attribute.exists", $"The attribute '{command.Key}' is already defined.");
        var definition = AttributeDefinition.Create(command.Key, command.Label, command.Type, command.Options ?? [], clock);
        db.AttributeDefinitions.Add(definition);
        await db.SaveChangesAsync(cancellationToken);
        return new AttributeDefinitionDto(definition.Id, definition.Key, definition.Label, definition.Type, definition.Options);
    }
}
