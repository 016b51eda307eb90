using OneInbox.Infrastructure.Channels.Inbound;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.UnitTests.Workers;

/// <summary>How claimed rows are cut into units of work, and how a unit of envelopes is worked in rounds.</summary>
public class ClaimUnitsTests
{
    private static readonly Guid WorkspaceA = Guid.NewGuid();
    private static readonly Guid WorkspaceB = Guid.NewGuid();

    private static ClaimedRow Row(Guid workspace, string? orderKey = null) => new(Guid.CreateVersion7(), workspace, orderKey);

    [Fact]
    public void A_small_claim_keeps_a_workspaces_rows_in_one_unit_and_never_mixes_workspaces()
    {
        var rows = new[] { Row(WorkspaceA, "chat-1"), Row(WorkspaceB, "chat-2"), Row(WorkspaceA, "chat-3") };

        var units = ClaimUnits.Of(rows, maxUnit: 32).ToList();

        Assert.Equal(2, units.Count);
        Assert.Equal([rows[0], rows[2]], units.Single(u => u[0].WorkspaceId == WorkspaceA));
        Assert.Equal([rows[1]], units.Single(u => u[0].WorkspaceId == WorkspaceB));
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(27, new[] { 27 })]
    [InlineData(40, new[] { 32, 8 })]
    [InlineData(200, new[] { 32, 32, 32, 32, 32, 32, 8 })]
    public void A_claim_is_cut_into_as_few_units_as_their_largest_size_allows(int claimed, int[] expected)
    {
        var rows = Enumerable.Range(0, claimed).Select(i => Row(WorkspaceA, $"chat-{i}")).ToList();

        var units = ClaimUnits.Of(rows, maxUnit: 32).ToList();

        Assert.Equal(expected, units.Select(u => u.Length));
        Assert.Equal(rows, units.SelectMany(u => u));
    }

    [Fact]
    public void A_conversations_rows_stay_together_in_claim_order_even_beyond_the_unit_size()
    {
        var run = Enumerable.Range(0, 10).Select(_ => Row(WorkspaceA, "chat-1")).ToList();
        var others = Enumerable.Range(0, 6).Select(i => Row(WorkspaceA, $"chat-{i + 2}")).ToList();

        var units = ClaimUnits.Of([.. others.Take(3), .. run, .. others.Skip(3)], maxUnit: 4).ToList();

        var withRun = Assert.Single(units, u => u.Any(r => r.OrderKey == "chat-1"));
        Assert.Equal(run, withRun.Where(r => r.OrderKey == "chat-1"));
        Assert.Equal(16, units.Sum(u => u.Length));
        Assert.All(units.Where(u => u != withRun), u => Assert.InRange(u.Length, 1, 4));
    }

    [Fact]
    public void Each_round_holds_the_next_envelope_of_every_conversation_in_the_unit()
    {
        var first = Enumerable.Range(0, 3).Select(_ => Row(WorkspaceA, "chat-1")).ToList();
        var second = Row(WorkspaceA, "chat-2");
        var third = Enumerable.Range(0, 2).Select(_ => Row(WorkspaceA, "chat-3")).ToList();

        var rounds = EnvelopeProcessor.Rounds([first[0], second, first[1], third[0], first[2], third[1]]).ToList();

        Assert.Equal(3, rounds.Count);
        Assert.Equal([first[0], second, third[0]], rounds[0]);
        Assert.Equal([first[1], third[1]], rounds[1]);
        Assert.Equal([first[2]], rounds[2]);
    }
}
