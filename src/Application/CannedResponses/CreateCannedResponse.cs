using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.CannedResponses;

namespace OneInbox.Application.CannedResponses;

public sealed record CreateCannedResponse(string ShortCode, string Text) : ICommand<CannedResponseDto>;

public sealed class CreateCannedResponseValidator : AbstractValidator<CreateCannedResponse>
{
    public CreateCannedResponseValidator()
    {
        RuleFor(c => c.ShortCode).ValidShortCode();
        RuleFor(c => c.Text).ValidTemplate();
    }
}

public sealed class CreateCannedResponseHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<CreateCannedResponse, CannedResponseDto>
{
    public async ValueTask<CannedResponseDto> Handle(CreateCannedResponse command, CancellationToken cancellationToken)
    {
        var response = CannedResponse.Create(command.ShortCode, command.Text, clock);
        if (await db.CannedResponses.AnyAsync(r => r.ShortCode == response.ShortCode, cancellationToken))
            throw new ConflictException("cannedResponse.exists", $"The short code '{response.ShortCode}' is taken.");
        db.CannedResponses.Add(response);
        await db.SaveChangesAsync(cancellationToken);
        return response.ToDto();
    }
}
