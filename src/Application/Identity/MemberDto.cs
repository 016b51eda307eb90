using OneInbox.Domain.Identity;
using Riok.Mapperly.Abstractions;

namespace OneInbox.Application.Identity;

public sealed record MemberDto(Guid UserId, string DisplayName, string Email, WorkspaceRole Role, DateTimeOffset JoinedAt);

[Mapper]
public static partial class MemberMapper
{
    public static partial IQueryable<MemberDto> ProjectToDto(this IQueryable<WorkspaceMember> members);
}
