using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.CannedResponses;

public sealed record UpdateCannedResponse(Guid CannedResponseId, string ShortCode, string Text) : ICommand<CannedResponseDto>;

public sealed class UpdateCannedResponseValidator : AbstractValidator<UpdateCannedResponse>
{
    public UpdateCannedResponseValidator()
    {
        RuleFor(c => c.ShortCode).ValidShortCode();
        RuleFor(c => c.Text).ValidTemplate();
    }
}

public sealed class UpdateCannedResponseHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<UpdateCannedResponse, CannedResponseDto>
{
    public async ValueTask<CannedResponseDto> Handle(UpdateCannedResponse command, CancellationToken cancellationToken)
    {
        var response = await db.CannedResponses.FirstOrDefaultAsync(r => r.Id == command.CannedResponseId, cancellationToken)
            ?? throw new NotFoundException("Canned response", command.CannedResponseId);
        var code = command.ShortCode.Trim().ToLowerInvariant();
        if (await db.CannedResponses.AnyAsync(r => r.ShortCode == code && r.Id != response.Id, cancellationToken))
            throw new ConflictException("cannedResponse.exists", $"The short code '{code}' is taken.");
        response.Change(command.ShortCode, command.Text, clock);
        await db.SaveChangesAsync(cancellationToken);
        return response.ToDto();
    }
}
