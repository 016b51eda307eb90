namespace OneInbox.Domain.Common;

/// <summary>A business rule refused the operation; the API answers 409 with the rule's code.</summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
