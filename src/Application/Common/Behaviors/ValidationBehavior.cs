using FluentValidation;
using Mediator;

namespace OneInbox.Application.Common.Behaviors;

/// <summary>
/// Runs every validator of a message before its handler, whatever sent it: an endpoint, a webhook
/// processor, a workflow activity or a background job.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            if (!result.IsValid)
                (failures ??= []).AddRange(result.Errors);
        }

        if (failures is not null)
            throw new ValidationException(failures);

        return await next(message, cancellationToken);
    }
}
