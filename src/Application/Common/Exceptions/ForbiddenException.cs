namespace OneInbox.Application.Common.Exceptions;

/// <summary>The caller may see the resource but not do this to it (answered 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);
