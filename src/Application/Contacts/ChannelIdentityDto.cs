using OneInbox.Domain.Channels;

namespace OneInbox.Application.Contacts;

public sealed record ChannelIdentityDto(Guid Id, Guid ContactId, ChannelType Channel, string ExternalId, string? Username, DateTimeOffset CreatedAt);
