namespace OneInbox.Application.Common.Exceptions;

/// <summary>The request is well formed but cannot be carried out as asked, for a reason its code names (answered 422).</summary>
public sealed class UnprocessableException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
