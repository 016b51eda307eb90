using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Identity;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>
/// The one way a contact is erased, whoever asks: an agent's delete, a completed erasure request, Meta's deletion
/// callback. A legal hold on the contact or the workspace refuses it with the hold's reason.
/// </summary>
public sealed class ContactErasure(IOneInboxDb db, IContactEraser eraser, IAuditLog audit, TimeProvider clock)
{
    /// <summary>The identities that named the person (channel accounts, phone numbers, emails), for the case's salted hash.</summary>
    public async Task<IReadOnlyList<string>> IdentitiesAsync(Guid contactId, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken)
                      ?? throw new NotFoundException("Contact", contactId);
        var accounts = await db.ChannelIdentities.AsNoTracking().Where(i => i.ContactId == contactId)
            .Select(i => new { i.Channel, i.ExternalId }).ToListAsync(cancellationToken);
        return [.. accounts.Select(a => $"{a.Channel}:{a.ExternalId}"), .. contact.PhoneNumbers, .. contact.Emails];
    }

    /// <summary>Throws 409 with the reason when a legal hold keeps the contact's data.</summary>
    public async Task EnsureNotHeldAsync(Guid contactId, CancellationToken cancellationToken)
    {
        var holds = await db.ActiveForContactAsync(contactId, cancellationToken);
        if (holds.Count > 0)
            throw new ConflictException("privacy.legalHold", $"This contact's data is under a legal hold and cannot be erased: {holds[0].Reason}");
    }

    /// <summary>
    /// Queues a message to the person over the channel they last wrote on. The row names no message of theirs and
    /// is sealed under the installation key, not theirs, so it survives their erasure and is still sent after it.
    /// </summary>
    public async Task<bool> QueueNoticeAsync(Guid contactId, string text, CancellationToken cancellationToken)
    {
        var last = await db.Conversations.AsNoTracking().Where(c => c.ContactId == contactId)
            .OrderByDescending(c => c.LastActivityAt).Select(c => new { c.ConnectionId, c.ConversationKey }).FirstOrDefaultAsync(cancellationToken);
        if (last is null)
            return false;
        var messageId = Guid.NewGuid();
        var payload = new OutboundMessage(messageId, last.ConversationKey, MessageKind.Text, text, [], []);
        db.OutboxMessages.Add(OutboxMessage.Create(last.ConnectionId, messageId, JsonSerializer.Serialize(payload), clock));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<ErasureReport> EraseAsync(Guid contactId, string why, CancellationToken cancellationToken)
    {
        await EnsureNotHeldAsync(contactId, cancellationToken);
        var report = await eraser.EraseAsync(contactId, cancellationToken);
        audit.Record("privacy.contact_erased", contactId.ToString(),
            $"{why}: {report.Messages} messages, {report.Conversations} conversations, {report.Files} files, {report.KeysDestroyed} keys destroyed");
        await db.SaveChangesAsync(cancellationToken);
        return report;
    }
}
