using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// The worker that delivers outbox rows through their connection's channel: it claims rows with a lease (sized
/// to end within it), hands each unit to <see cref="DeliveryUnit"/> (send and commit the outcomes), then records
/// the final delivery statuses on the messages (<see cref="DeliveryReports"/>). The outcome policy is
/// <see cref="DeliveryOutcomes"/>; the connection's health, <see cref="ConnectionHealth"/>.
/// </summary>
internal sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    StorageSettings storage,
    IOptions<ChannelOptions> options,
    DeliveryUnit delivery,
    DeliveryReports reports,
    OutboxWorkSignal signal,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : LeasedClaimWorker(clock, logger)
{
    private const int Workers = 8;
    private const int MaxBatch = 16;

    protected override int Parallelism => Workers;

    /// <summary>
    /// No more rows per unit than a bot may send in one pacing period (Telegram: 30/s is 3 per 100 ms): a unit's
    /// sends then leave together and complete together, so their outcomes commit at once, instead of waiting in
    /// the pacer while those already sent wait for their commit (the window a crash can duplicate them in).
    /// </summary>
    protected override int MaxUnit => Math.Clamp((int)(options.Value.TelegramPerBotPerSecond / 10), 1, MaxBatch);

    protected override TimeSpan IdleDelay => options.Value.IdleDelay;

    protected override WorkSignal? Signal => signal;

    protected override async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        return await OutboxClaims.ClaimAsync(db, storage.Provider, Clock.GetUtcNow(), options.Value.Lease, ClaimSize(), cancellationToken);
    }

    /// <summary>
    /// A round ends before its lease runs out, even for a single bot at its paced rate: a quarter of the lease
    /// (15 s of 60 at Telegram's 30/s) leaves the rest for 429 pauses. Another node could otherwise claim a row whose
    /// lease ran out while it still waited here, and both would send it.
    /// </summary>
    private int ClaimSize()
    {
        var settings = options.Value;
        var paced = settings.TelegramPerBotPerSecond * settings.Lease.TotalSeconds / 4;
        return Math.Max(1, (int)Math.Min(Math.Max(paced, Workers * MaxUnit), settings.BatchSize * 4));
    }

    protected override async Task WorkUnitAsync(ClaimedRow[] unit, CancellationToken cancellationToken) =>
        await reports.RecordAsync(unit[0].WorkspaceId, await delivery.SendAndRecordAsync(unit, cancellationToken), cancellationToken);

    /// <summary>
    /// The unit failed outside any one send (reading the rows, or after the commit): each row still pending is
    /// retried on its own, never sent again from here; a row whose success was committed is not pending and stays as it is.
    /// </summary>
    protected override async Task WorkAloneAsync(ClaimedRow row, Exception unitFailure, CancellationToken cancellationToken)
    {
        if (await delivery.RecordAloneAsync(row, new SendOutcome.Transient(FailureSummary.Of(unitFailure)), cancellationToken) is { } report)
            await reports.RecordAsync(row.WorkspaceId, [report], cancellationToken);
    }
}
