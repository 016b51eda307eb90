using OneInbox.Domain.Identity;
using Riok.Mapperly.Abstractions;

namespace OneInbox.Application.Identity;

/// <param name="Availability">Whether the member takes new conversations from team routing.</param>
public sealed record MemberDto(Guid UserId, string DisplayName, string Email, WorkspaceRole Role, DateTimeOffset JoinedAt, MemberAvailability Availability);

[Mapper]
public static partial class MemberMapper
{
    public static partial IQueryable<MemberDto> ProjectToDto(this IQueryable<WorkspaceMember> members);
}
