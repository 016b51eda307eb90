using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Flows;
using OneInbox.Domain.Reviews;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// Before a save writes a person's data (message texts, notes, outbox bodies, flow variables and journal inputs),
/// marks each value with the contact it belongs to, so that it is sealed under that contact's key (ADR 0009).
/// The contact is found from what the unit of work already tracks (on the inbound path, everything), then from
/// a cache of conversation owners, and only then from the database in one query.
/// </summary>
internal static class ContactKeyBinding
{
    // Conversations never change owner except by a merge, and a merged contact's key is found by erasure from the
    // ciphertexts themselves, so a stale entry costs nothing. Bounded so that a long-running node does not grow.
    private static readonly ConcurrentDictionary<Guid, Guid> ConversationOwners = new();
    private const int MaxRemembered = 200_000;

    public static async Task BindContactKeysAsync(this OneInboxDbContext db, CancellationToken cancellationToken)
    {
        List<(PropertyEntry Property, Guid? ContactId, Guid? ConversationId)>? pending = null;
        Dictionary<Guid, Guid?>? messageConversations = null;
        Dictionary<Guid, Guid?>? instanceConversations = null;

        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
                continue;
            switch (entry.Entity)
            {
                case ContactNote note:
                    Add(entry.Property(nameof(ContactNote.Text)), note.ContactId, null);
                    break;
                case Message message:
                    Add(entry.Property(nameof(Message.Text)), null, message.ConversationId);
                    break;
                case FlowInstance instance when instance.ConversationId is { } conversationId:
                    Add(entry.Property(nameof(FlowInstance.State)), null, conversationId);
                    break;
                case OutboxMessage outbox when Written(entry.Property(nameof(OutboxMessage.Payload))):
                    messageConversations ??= db.ChangeTracker.Entries<Message>().ToDictionary(m => m.Entity.Id, m => (Guid?)m.Entity.ConversationId);
                    if (!messageConversations.TryGetValue(outbox.MessageId, out var viaMessage))
                        viaMessage = messageConversations[outbox.MessageId] = await db.Messages.IgnoreQueryFilters()
                            .Where(m => m.Id == outbox.MessageId).Select(m => (Guid?)m.ConversationId).FirstOrDefaultAsync(cancellationToken);
                    if (viaMessage is { } messageConversation)
                        Add(entry.Property(nameof(OutboxMessage.Payload)), null, messageConversation);
                    break;
                case FlowJournalEntry journal:
                    instanceConversations ??= db.ChangeTracker.Entries<FlowInstance>().ToDictionary(i => i.Entity.Id, i => i.Entity.ConversationId);
                    if (!instanceConversations.TryGetValue(journal.InstanceId, out var viaInstance))
                        viaInstance = instanceConversations[journal.InstanceId] = await db.FlowInstances.IgnoreQueryFilters()
                            .Where(i => i.Id == journal.InstanceId).Select(i => i.ConversationId).FirstOrDefaultAsync(cancellationToken);
                    if (viaInstance is { } instanceConversation)
                    {
                        Add(entry.Property(nameof(FlowJournalEntry.Inputs)), null, instanceConversation);
                        Add(entry.Property(nameof(FlowJournalEntry.Explanation)), null, instanceConversation);
                        Add(entry.Property(nameof(FlowJournalEntry.Variables)), null, instanceConversation);
                    }
                    break;
                case ReviewCase review:
                    Add(entry.Property(nameof(ReviewCase.CustomerWords)), review.ContactId, null);
                    Add(entry.Property(nameof(ReviewCase.ContestedExplanation)), review.ContactId, null);
                    Add(entry.Property(nameof(ReviewCase.Reason)), review.ContactId, null);
                    Add(entry.Property(nameof(ReviewCase.CustomerMessage)), review.ContactId, null);
                    break;
            }
        }
        if (pending is null)
            return;

        var owners = await OwnersAsync(db, pending.Where(p => p.ConversationId is not null).Select(p => p.ConversationId!.Value), cancellationToken);
        var bound = new HashSet<Guid>();
        foreach (var (property, contactId, conversationId) in pending)
        {
            var owner = contactId ?? (owners.TryGetValue(conversationId!.Value, out var found) ? found : null);
            if (owner is { } id && property.CurrentValue is string value)
            {
                Replace(property, ContactSealing.Mark(value, id));
                bound.Add(id);
            }
        }
        // Contacts new in this unit of work get their keys together, before the values are sealed under them.
        var created = db.ChangeTracker.Entries<Contact>().Where(c => c.State == EntityState.Added && bound.Contains(c.Entity.Id)).Select(c => c.Entity.Id).ToList();
        if (created.Count > 0)
            db.ContactKeys?.CreateAll(created);

        void Add(PropertyEntry property, Guid? contactId, Guid? conversationId)
        {
            if (Written(property))
                (pending ??= []).Add((property, contactId, conversationId));
        }
    }

    /// <summary>
    /// Only a value about to be written is sealed: an unchanged text of a modified row is not part of the statement
    /// (the dispatcher settling an outbox row writes its status, not its payload, and looks up no owner for it).
    /// </summary>
    private static bool Written(PropertyEntry property) =>
        property.CurrentValue is not null && (property.EntityEntry.State != EntityState.Modified || property.IsModified);

    /// <summary>
    /// Puts the marked copy into the entity itself. (Setting <c>CurrentValue</c> would not: EF sees an equal string
    /// and keeps the instance it has.) EF then reads the copy from the entity when it builds the statement.
    /// </summary>
    private static void Replace(PropertyEntry property, string copy)
    {
        var entity = property.EntityEntry.Entity;
        if (property.Metadata.FieldInfo is { } field)
            field.SetValue(entity, copy);
        else
            property.Metadata.PropertyInfo!.SetValue(entity, copy);
    }

    private static async Task<Dictionary<Guid, Guid?>> OwnersAsync(OneInboxDbContext db, IEnumerable<Guid> conversationIds, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<Guid, Guid?>();
        var tracked = db.ChangeTracker.Entries<Conversation>().ToDictionary(c => c.Entity.Id, c => c.Entity.ContactId);
        var missing = new List<Guid>();
        foreach (var id in conversationIds.Distinct())
        {
            if (tracked.TryGetValue(id, out var contactId) || ConversationOwners.TryGetValue(id, out contactId))
                owners[id] = contactId;
            else
                missing.Add(id);
        }
        if (missing.Count > 0)
        {
            var found = await db.Conversations.IgnoreQueryFilters().Where(c => missing.Contains(c.Id))
                .Select(c => new { c.Id, c.ContactId }).ToListAsync(cancellationToken);
            foreach (var row in found)
                owners[row.Id] = row.ContactId;
        }
        if (ConversationOwners.Count > MaxRemembered)
            ConversationOwners.Clear();
        foreach (var (conversationId, contactId) in owners)
        {
            if (contactId is { } id)
                ConversationOwners.TryAdd(conversationId, id);
        }
        return owners;
    }
}
