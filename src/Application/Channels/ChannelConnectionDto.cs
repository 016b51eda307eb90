using System.Linq.Expressions;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>A connection as the API shows it: never its credentials or secrets.</summary>
public sealed record ChannelConnectionDto(
    Guid Id,
    ChannelType Type,
    string Name,
    ConnectionMode Mode,
    string? BaseUrl,
    string? CallbackUrl,
    DateTimeOffset CreatedAt,
    ChannelHealthDto Health);

public sealed record ChannelHealthDto(
    DateTimeOffset? LastInboundAt,
    DateTimeOffset? LastOutboundAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int PendingOutbox,
    int FailedOutbox,
    int FailedEnvelopes);

internal static class ChannelConnectionProjection
{
    /// <summary>One query with the counts as subqueries, so listing health costs no round trip per connection.</summary>
    public static IQueryable<ChannelConnectionDto> ProjectToDto(this IQueryable<ChannelConnection> connections, IOneInboxDb db) =>
        connections.Select(Projection(db));

    private static Expression<Func<ChannelConnection, ChannelConnectionDto>> Projection(IOneInboxDb db) =>
        c => new ChannelConnectionDto(
            c.Id, c.Type, c.Name, c.Mode, c.BaseUrl, c.CallbackUrl, c.CreatedAt,
            new ChannelHealthDto(
                c.LastInboundAt, c.LastOutboundAt, c.LastError, c.LastErrorAt,
                db.OutboxMessages.Count(o => o.ConnectionId == c.Id && o.Status == OutboxStatus.Pending),
                db.OutboxMessages.Count(o => o.ConnectionId == c.Id && o.Status == OutboxStatus.Failed),
                db.InboundEnvelopes.Count(e => e.ConnectionId == c.Id && e.Status == EnvelopeStatus.Failed)));
}
