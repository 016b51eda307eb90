namespace OneInbox.Application.Common.Exceptions;

/// <summary>
/// The server cannot take the request now but will soon, such as while it stops for a restart (answered 503
/// with Retry-After). Nothing of the request was stored, so the caller may simply send it again.
/// </summary>
public sealed class ServiceUnavailableException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
