namespace OneInbox.Application.Common;

/// <summary>A short, complete list: the same envelope as a page, without a cursor.</summary>
public sealed record ItemsOf<T>(IReadOnlyList<T> Items);
