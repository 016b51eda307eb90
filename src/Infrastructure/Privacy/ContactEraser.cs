using OneInbox.Application.Attachments;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Privacy;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Privacy;

/// <summary>
/// Erases one contact (ADR 0009). First the keys: the contact's own, and any other contact key that sealed rows now
/// theirs (a merged duplicate's), read from the ciphertexts themselves. From that moment nothing of theirs can be
/// read anywhere, backups included. Then the rows and files, in batches of <see cref="BatchSize"/>, each batch its
/// own short statement outside any long transaction, so the inbound path never waits behind an erasure.
/// </summary>
internal sealed partial class ContactEraser(OneInboxDbContext db, ContactKeyStore keys, IAttachmentStore attachments, ILogger<ContactEraser> logger) : IContactEraser
{
    public const int BatchSize = 1000;

    public async Task<ErasureReport> EraseAsync(Guid contactId, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken)
                      ?? throw new NotFoundException("Contact", contactId);
        var conversations = await db.Conversations.Where(c => c.ContactId == contactId)
            .Select(c => new { c.Id, c.ConnectionId, c.ConversationKey }).ToListAsync(cancellationToken);
        var conversationIds = conversations.Select(c => c.Id).ToList();

        var keyIds = new HashSet<Guid> { contactId };
        foreach (var conversationId in conversationIds)
            keyIds.UnionWith(await SealedKeysAsync(db.Database.SqlQuery<string>(
                $"""SELECT DISTINCT substr("Text", 4, 32) AS "Value" FROM "Messages" WHERE "ConversationId" = {conversationId} AND "Text" LIKE 'c1.%'"""), cancellationToken));
        keyIds.UnionWith(await SealedKeysAsync(db.Database.SqlQuery<string>(
            $"""SELECT DISTINCT substr("Text", 4, 32) AS "Value" FROM "ContactNotes" WHERE "ContactId" = {contactId} AND "Text" LIKE 'c1.%'"""), cancellationToken));
        foreach (var keyId in keyIds)
            keys.Destroy(keyId);

        int messages = 0, files = 0, outbox = 0;
        while (true)
        {
            var batch = await db.Messages.Where(m => conversationIds.Contains(m.ConversationId))
                .OrderBy(m => m.Id).Select(m => new { m.Id, m.Attachments }).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
                break;
            var ids = batch.Select(m => m.Id).ToList();
            var storageKeys = batch.SelectMany(m => m.Attachments).Select(a => a.StorageKey).OfType<string>().Distinct().ToList();
            outbox += await db.OutboxMessages.Where(o => ids.Contains(o.MessageId)).ExecuteDeleteAsync(cancellationToken);
            messages += await db.Messages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
            if (storageKeys.Count > 0)
            {
                await db.Attachments.Where(a => storageKeys.Contains(a.StorageKey)).ExecuteDeleteAsync(cancellationToken);
                foreach (var key in storageKeys)
                {
                    if (await attachments.DeleteAsync(key, cancellationToken))
                        files++;
                }
            }
        }

        var instanceIds = await db.FlowInstances.Where(i => i.ConversationId != null && conversationIds.Contains(i.ConversationId.Value))
            .Select(i => i.Id).ToListAsync(cancellationToken);
        foreach (var chunk in instanceIds.Chunk(BatchSize))
        {
            await db.FlowJournal.Where(j => chunk.Contains(j.InstanceId)).ExecuteDeleteAsync(cancellationToken);
            await db.FlowIncidents.Where(j => chunk.Contains(j.InstanceId)).ExecuteDeleteAsync(cancellationToken);
            await db.FlowTimers.Where(j => chunk.Contains(j.InstanceId)).ExecuteDeleteAsync(cancellationToken);
            await db.FlowInstances.Where(i => chunk.Contains(i.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        var envelopes = 0;
        foreach (var conversation in conversations)
        {
            while (true)
            {
                var ids = await db.InboundEnvelopes.Where(e => e.ConnectionId == conversation.ConnectionId && e.ConversationKey == conversation.ConversationKey)
                    .Select(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
                if (ids.Count == 0)
                    break;
                envelopes += await db.InboundEnvelopes.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            }
        }

        // Exports are sealed under the person's key (gone now): their files and rows go too.
        foreach (var key in await db.PrivacyExports.Where(e => e.ContactId == contactId && e.StorageKey != null).Select(e => e.StorageKey!).ToListAsync(cancellationToken))
            await attachments.DeleteAsync(key, cancellationToken);
        await db.PrivacyExports.Where(e => e.ContactId == contactId).ExecuteDeleteAsync(cancellationToken);
        // Review cases quote the person (their words, the explanation of a decision about them): they go with them.
        await db.ReviewCases.Where(r => r.ContactId == contactId).ExecuteDeleteAsync(cancellationToken);
        await db.ConversationReadMarks.Where(r => conversationIds.Contains(r.ConversationId)).ExecuteDeleteAsync(cancellationToken);
        await db.Conversations.Where(c => conversationIds.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
        await db.ChannelIdentities.Where(i => i.ContactId == contactId).ExecuteDeleteAsync(cancellationToken);
        await db.ContactNotes.Where(n => n.ContactId == contactId).ExecuteDeleteAsync(cancellationToken);
        if (contact.AvatarKey is { } avatar && await attachments.DeleteAsync(avatar, cancellationToken))
            files++;
        contact.MarkDeleted();
        db.Contacts.Remove(contact);
        await db.SaveChangesAsync(cancellationToken);

        LogErased(contactId, messages, files, clock.ElapsedMilliseconds);
        return new ErasureReport(keyIds.Count, conversations.Count, messages, files, envelopes, outbox, instanceIds.Count, clock.Elapsed);
    }

    private static async Task<IEnumerable<Guid>> SealedKeysAsync(IQueryable<string> query, CancellationToken cancellationToken) =>
        (await query.ToListAsync(cancellationToken)).Select(v => Guid.TryParseExact(v, "N", out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} erased: {Messages} messages, {Files} files in {ElapsedMs} ms")]
    private partial void LogErased(Guid contactId, int messages, int files, long elapsedMs);
}
