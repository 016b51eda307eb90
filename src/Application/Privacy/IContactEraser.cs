namespace OneInbox.Application.Privacy;

/// <summary>
/// Removes everything of one contact: destroys their data key first (from then on nothing sealed under it is
/// readable, in backups too), then deletes their rows and files in short batches so ingestion keeps going.
/// </summary>
public interface IContactEraser
{
    Task<ErasureReport> EraseAsync(Guid contactId, CancellationToken cancellationToken);
}

public sealed record ErasureReport(int KeysDestroyed, int Conversations, int Messages, int Files, int Envelopes, int OutboxRows, int FlowInstances, TimeSpan Took);
