using Microsoft.Extensions.Time.Testing;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;

namespace OneInbox.UnitTests.Channels;

public sealed class InboundEnvelopeTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_parked_envelope_can_be_replayed_and_starts_its_attempts_afresh()
    {
        var envelope = InboundEnvelope.Receive(Guid.NewGuid(), Guid.NewGuid(), "1", "42", "{}", _clock);
        envelope.ScheduleRetry("boom", _clock.GetUtcNow().AddSeconds(2));
        envelope.Park("boom");

        _clock.Advance(TimeSpan.FromHours(1));
        envelope.Replay(_clock);

        Assert.Equal(EnvelopeStatus.Pending, envelope.Status);
        Assert.Equal(0, envelope.Attempts);
        Assert.Equal(_clock.GetUtcNow(), envelope.NextAttemptAt);
    }

    [Fact]
    public void A_processed_envelope_cannot_be_processed_or_replayed_again()
    {
        var envelope = InboundEnvelope.Receive(Guid.NewGuid(), Guid.NewGuid(), "1", "42", "{}", _clock);
        envelope.MarkProcessed(_clock);

        Assert.Throws<DomainException>(() => envelope.MarkProcessed(_clock));
        Assert.Throws<DomainException>(() => envelope.Replay(_clock));
    }
}
