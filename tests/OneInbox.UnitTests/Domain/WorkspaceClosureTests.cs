using Microsoft.Extensions.Time.Testing;
using OneInbox.Domain.Common;
using OneInbox.Domain.Workspaces;

namespace OneInbox.UnitTests.Domain;

public class WorkspaceClosureTests
{
    [Fact]
    public void A_closed_workspace_is_kept_ninety_days_and_can_be_reopened_until_the_last_moment_before_its_purge()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        var workspace = Workspace.Create("Acme", clock);
        var owner = Guid.NewGuid();

        workspace.Close(owner, clock);

        Assert.True(workspace.IsClosed);
        Assert.Equal(owner, workspace.ClosedBy);
        Assert.Equal(new DateTimeOffset(2027, 3, 4, 10, 0, 0, TimeSpan.Zero), workspace.PurgeAt);
        Assert.Equal("workspace.closed", Assert.Throws<DomainException>(() => workspace.Close(owner, clock)).Code);

        clock.Advance(TimeSpan.FromDays(90) - TimeSpan.FromSeconds(1));
        workspace.Reopen(clock);
        Assert.False(workspace.IsClosed);
        Assert.Null(workspace.PurgeAt);
        Assert.Equal("workspace.open", Assert.Throws<DomainException>(() => workspace.Reopen(clock)).Code);
    }

    [Fact]
    public void On_its_purge_day_a_closed_workspace_can_no_longer_be_reopened()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        var workspace = Workspace.Create("Acme", clock);
        workspace.Close(null, clock);

        clock.Advance(TimeSpan.FromDays(Workspace.ClosureGraceDays));

        Assert.Equal("workspace.purged", Assert.Throws<DomainException>(() => workspace.Reopen(clock)).Code);
        Assert.True(workspace.IsClosed);
    }
}
