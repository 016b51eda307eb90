using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Common;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.WebApi.Infrastructure;

/// <summary>
/// The one place failures become RFC 9457 Problem Details. Messages are written for the developer calling
/// the API; stack traces and internal details never leave the server.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException validation => ValidationProblem(validation),
            BadHttpRequestException { InnerException: JsonException json } => Problem(400, "The request body is not valid JSON.", JsonDetail(json)),
            BadHttpRequestException bad => Problem(bad.StatusCode, TitleFor(bad.StatusCode), bad.Message),
            NotFoundException notFound => Problem(404, "Not found.", notFound.Message),
            ForbiddenException forbidden => Problem(403, "Forbidden.", forbidden.Message),
            ConflictException conflict => Problem(409, "Conflict.", conflict.Message, conflict.Code),
            UnprocessableException unprocessable => Problem(422, "Unprocessable content.", unprocessable.Message, unprocessable.Code),
            ServiceUnavailableException unavailable => Problem(503, "Service unavailable.", unavailable.Message),
            DomainException rule => Problem(409, "A business rule refused the request.", rule.Message, rule.Code),
            // A concurrent request changed the same rows first (a unique key or a concurrency token): nothing of
            // this request was stored, and trying again sees the other change.
            Microsoft.EntityFrameworkCore.DbUpdateException race when DatabaseErrors.IsLostRace(race) => Problem(409, "Conflict.", "Another change to the same data won the race; nothing was stored. Try again.", "concurrency"),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };

        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
                return true;
            LogUnhandled(exception.GetType().Name, httpContext.Request.Path, exception);
            problem = Problem(500, "An unexpected error occurred.", "The error has been logged; quote the trace id when reporting it.");
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        if (exception is ServiceUnavailableException { RetryAfter: var wait })
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails ValidationProblem(ValidationException validation)
    {
        var errors = validation.Errors
            .GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new HttpValidationProblemDetails(errors)
        {
            Status = 400,
            Title = "One or more fields are invalid.",
            Detail = "See errors for what each field needs.",
        };
    }

    private static ProblemDetails Problem(int status, string title, string detail, string? code = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (code is not null)
            problem.Extensions["code"] = code;
        return problem;
    }

    private static string JsonDetail(JsonException json)
    {
        var where = json.Path is { Length: > 0 } path ? $" at '{path}'" : string.Empty;
        var line = json.LineNumber is { } l ? $" (line {l + 1}, position {json.BytePositionInLine + 1})" : string.Empty;
        var reason = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "a field is not part of this operation"
            : json.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? "a value has the wrong type"
                : "the JSON is malformed";
        return $"The body could not be read{where}{line}: {reason}.";
    }

    internal static string TitleFor(int status) => status switch
    {
        400 => "Bad request.",
        401 => "Authentication required.",
        403 => "Forbidden.",
        404 => "Not found.",
        405 => "Method not allowed.",
        409 => "Conflict.",
        413 => "The request body is too large.",
        415 => "Unsupported media type.",
        422 => "Unprocessable content.",
        429 => "Too many requests.",
        503 => "Service unavailable.",
        _ => "Request failed.",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Path}")]
    private partial void LogUnhandled(string exceptionType, PathString path, Exception exception);
}
