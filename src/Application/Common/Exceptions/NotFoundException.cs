namespace OneInbox.Application.Common.Exceptions;

/// <summary>The thing asked for does not exist in the caller's workspace (answered 404).</summary>
public sealed class NotFoundException(string resource, object key)
    : Exception($"{resource} '{key}' was not found.")
{
    public string Resource { get; } = resource;
}
