namespace OneInbox.Application.Common.Exceptions;

/// <summary>The request clashes with the current state, such as a duplicate key (answered 409).</summary>
public sealed class ConflictException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
