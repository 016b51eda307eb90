using OneInbox.Application.Teams;

namespace OneInbox.UnitTests.Application.Teams;

/// <summary>The team routing rule agents and flows share: availability first, then round robin or least busy.</summary>
public class TeamRoutingTests
{
    private static readonly Guid Ana = Guid.NewGuid();
    private static readonly Guid Ben = Guid.NewGuid();
    private static readonly Guid Cy = Guid.NewGuid();
    private static readonly DateTimeOffset Morning = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(TeamAssignmentStrategy.RoundRobin)]
    [InlineData(TeamAssignmentStrategy.LeastBusy)]
    public void Nobody_gets_the_conversation_when_no_member_is_online(TeamAssignmentStrategy strategy)
    {
        var chosen = TeamRouting.Choose([new(Ana, false, null, 0), new(Ben, false, null, 0)], strategy);

        Assert.Null(chosen);
    }

    [Theory]
    [InlineData(TeamAssignmentStrategy.RoundRobin)]
    [InlineData(TeamAssignmentStrategy.LeastBusy)]
    public void A_member_who_is_away_is_passed_over_however_free_they_are(TeamAssignmentStrategy strategy)
    {
        var chosen = TeamRouting.Choose([new(Ana, false, null, 0), new(Ben, true, Morning, 9)], strategy);

        Assert.Equal(Ben, chosen);
    }

    [Fact]
    public void Round_robin_gives_it_to_a_member_who_never_had_one_of_the_team_first()
    {
        var chosen = TeamRouting.Choose([new(Ana, true, Morning, 0), new(Ben, true, null, 5), new(Cy, true, Morning.AddMinutes(-5), 0)], TeamAssignmentStrategy.RoundRobin);

        Assert.Equal(Ben, chosen);
    }

    [Fact]
    public void Round_robin_gives_it_to_the_member_whose_last_one_is_oldest()
    {
        var chosen = TeamRouting.Choose([new(Ana, true, Morning, 0), new(Ben, true, Morning.AddMinutes(1), 0), new(Cy, true, Morning.AddMinutes(-5), 7)], TeamAssignmentStrategy.RoundRobin);

        Assert.Equal(Cy, chosen);
    }

    [Fact]
    public void Least_busy_gives_it_to_the_member_with_the_fewest_open_conversations()
    {
        var chosen = TeamRouting.Choose([new(Ana, true, null, 3), new(Ben, true, Morning, 1), new(Cy, true, null, 2)], TeamAssignmentStrategy.LeastBusy);

        Assert.Equal(Ben, chosen);
    }

    [Theory]
    [InlineData(TeamAssignmentStrategy.RoundRobin)]
    [InlineData(TeamAssignmentStrategy.LeastBusy)]
    public void A_tie_goes_to_the_first_member_in_the_team_order(TeamAssignmentStrategy strategy)
    {
        var chosen = TeamRouting.Choose([new(Ana, false, null, 0), new(Ben, true, null, 2), new(Cy, true, null, 2)], strategy);

        Assert.Equal(Ben, chosen);
    }
}
