using Microsoft.Extensions.Time.Testing;
using OneInbox.Domain.Common;
using OneInbox.Domain.Reviews;

namespace OneInbox.UnitTests.Domain;

public class ReviewCaseTests
{
    private static readonly ContestedDecision Refund = new(Guid.NewGuid(), Guid.NewGuid(), 3, 4, "refund", "Refused: total 120.");

    [Fact]
    public void A_case_is_due_in_the_workspaces_days_and_shows_overdue_only_while_open_after_its_due_date()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var review = ReviewCase.Open(Guid.NewGuid(), Guid.NewGuid(), ReviewSource.Chat, "  human review please ", Refund, 7, null, clock);

        Assert.Equal(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero), review.DueAt);
        Assert.Equal("human review please", review.CustomerWords);
        Assert.Equal(("refund", 4), (review.ContestedNodeId, review.ContestedSequence));
        clock.Advance(TimeSpan.FromDays(7));
        Assert.False(review.IsOverdue(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(review.IsOverdue(clock.GetUtcNow()));

        review.Start(Guid.NewGuid(), clock);
        Assert.True(review.IsOverdue(clock.GetUtcNow()));
        review.Decide(ReviewStatus.Upheld, "The limit applies.", [], Guid.NewGuid(), clock);
        Assert.False(review.IsOverdue(clock.GetUtcNow()));
        Assert.Equal(["opened", "started", "upheld"], review.Trail.Select(t => t.What));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void A_case_is_never_due_later_than_thirty_days_nor_at_once(int days)
    {
        var error = Assert.Throws<DomainException>(() => ReviewCase.Open(Guid.NewGuid(), Guid.NewGuid(), ReviewSource.Agent, "words", Refund, days, null, TimeProvider.System));
        Assert.Equal("review.days", error.Code);
    }

    [Fact]
    public void An_overturn_needs_a_corrective_action_an_upheld_decision_takes_none_and_a_closed_case_stays_closed()
    {
        var clock = new FakeTimeProvider();
        var review = ReviewCase.Open(Guid.NewGuid(), Guid.NewGuid(), ReviewSource.Button, "wrong", Refund, 7, null, clock);
        var reviewer = Guid.NewGuid();
        var tag = new ReviewAction("addTag", null, null, null, null, "vip", null, null, null, "tag vip added");

        Assert.Equal("review.actions", Assert.Throws<DomainException>(() => review.Decide(ReviewStatus.Overturned, "Wrong limit.", [], reviewer, clock)).Code);
        Assert.Equal("review.actions", Assert.Throws<DomainException>(() => review.Decide(ReviewStatus.Upheld, "Fine.", [tag], reviewer, clock)).Code);
        Assert.Equal("review.outcome", Assert.Throws<DomainException>(() => review.Decide(ReviewStatus.Withdrawn, "No.", [], reviewer, clock)).Code);

        review.Decide(ReviewStatus.Overturned, "Wrong limit.", [tag], reviewer, clock);
        Assert.Equal((ReviewStatus.Overturned, reviewer), (review.Status, review.DecidedBy));
        Assert.Contains(review.Trail, t => t.What == "action" && t.Detail == "addTag: tag vip added");
        Assert.Equal("review.closed", Assert.Throws<DomainException>(() => review.Withdraw("changed my mind", null, clock)).Code);
    }

    [Fact]
    public void The_contest_phrases_match_anywhere_in_the_message_whatever_the_case()
    {
        var settings = ReviewSettings.Defaults();
        Assert.True(settings.IsContest("I want a HUMAN REVIEW of that"));
        Assert.True(settings.IsContest("Talk to a human about this decision!"));
        Assert.False(settings.IsContest("review my order"));
        Assert.False(settings.IsContest(null));

        settings.Change(["appeal"], 3, null, null, null, null);
        Assert.True(settings.IsContest("I appeal"));
        Assert.False(settings.IsContest("human review"));
        Assert.Equal("review.phrases", Assert.Throws<DomainException>(() => settings.Change([" "], null, null, null, null, null)).Code);
    }
}
