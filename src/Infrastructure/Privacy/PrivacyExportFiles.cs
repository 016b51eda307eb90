using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Attachments;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Privacy;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Privacy;

/// <summary>
/// Builds the zip an access or portability request hands over: <c>contact.json</c> (profile, identities, attributes,
/// tags, consents and their history, flags), one JSON file per conversation with every message as the person and the
/// business wrote it, the attachments' files, the notes about the person, <c>automated-decisions.json</c> (every flow
/// step that ran in their conversations), the same as CSV, and a README. Sealed with AES-GCM under the person's own
/// data key before it is stored, so erasing them makes it unreadable too. Built in memory: an export is the data of
/// one person.
/// </summary>
internal sealed class PrivacyExportFiles(OneInboxDbContext db, IAttachmentStore store, ContactKeyStore keys) : IPrivacyExportFiles
{
    private static readonly byte[] Magic = "OIX1"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public async Task<(string StorageKey, long SizeBytes)> BuildAsync(Guid workspaceId, Guid contactId, CancellationToken cancellationToken)
    {
        var zip = await ZipAsync(contactId, cancellationToken);
        var sealedBytes = Seal(keys.GetOrCreate(contactId), zip);
        var stored = await store.SaveAsync(workspaceId, new MemoryStream(sealedBytes), long.MaxValue, cancellationToken);
        return (stored.StorageKey, zip.Length);
    }

    public async Task<byte[]?> OpenAsync(PrivacyExport export, CancellationToken cancellationToken)
    {
        if (export.StorageKey is null || keys.Find(export.ContactId, out _) is not { } key)
            return null;
        await using var stream = await store.OpenReadAsync(export.StorageKey, cancellationToken);
        if (stream is null)
            return null;
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return Open(key, buffer.ToArray());
    }

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken) => store.DeleteAsync(storageKey, cancellationToken);

    private async Task<byte[]> ZipAsync(Guid contactId, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().FirstAsync(c => c.Id == contactId, cancellationToken);
        var identities = await db.ChannelIdentities.AsNoTracking().Where(i => i.ContactId == contactId).OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
        var notes = await db.ContactNotes.AsNoTracking().Where(n => n.ContactId == contactId).OrderBy(n => n.CreatedAt).ToListAsync(cancellationToken);
        var conversations = await db.Conversations.AsNoTracking().Where(c => c.ContactId == contactId).OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        var conversationIds = conversations.Select(c => c.Id).ToList();
        var messages = (await db.Messages.AsNoTracking().Where(m => conversationIds.Contains(m.ConversationId)).ToListAsync(cancellationToken))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToList();
        var instances = await db.FlowInstances.AsNoTracking().Where(i => i.ConversationId != null && conversationIds.Contains(i.ConversationId.Value)).ToListAsync(cancellationToken);
        var instanceIds = instances.Select(i => i.Id).ToList();
        var journal = await db.FlowJournal.AsNoTracking().Where(j => instanceIds.Contains(j.InstanceId)).ToListAsync(cancellationToken);
        var flowIds = instances.Select(i => i.FlowId).Distinct().ToList();
        var flowNames = await db.Flows.AsNoTracking().Where(f => flowIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, cancellationToken);
        var reviews = await db.ReviewCases.AsNoTracking().Where(r => r.ContactId == contactId).ToListAsync(cancellationToken);

        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "README.txt", Readme(contact.DisplayName));
            Write(zip, "contact.json", new
            {
                contact.Id, contact.DisplayName, contact.PhoneNumbers, contact.Emails, contact.Company, contact.Locale, contact.Tags, contact.Attributes,
                contact.MarketingConsent, consentHistory = contact.ConsentHistory, contact.ProcessingRestricted, contact.Blocked, contact.CreatedAt, contact.UpdatedAt,
                identities = identities.Select(i => new { channel = i.Channel.ToString().ToLowerInvariant(), i.ExternalId, i.Username, i.CreatedAt }),
            });
            Write(zip, "notes.json", notes.Select(n => new { kind = n.Kind.ToString().ToLowerInvariant(), n.Text, n.CreatedAt }));
            var files = new List<(string Entry, string StorageKey)>();
            foreach (var conversation in conversations)
            {
                var lines = messages.Where(m => m.ConversationId == conversation.Id).Select(m => new
                {
                    m.Id,
                    direction = m.Direction.ToString().ToLowerInvariant(),
                    from = m.AuthorType.ToString().ToLowerInvariant(),
                    kind = m.Kind.ToString().ToLowerInvariant(),
                    m.Text,
                    m.IsPrivate,
                    m.SentAt,
                    deliveryStatus = m.Status.ToString().ToLowerInvariant(),
                    attachments = m.Attachments.Select((a, index) =>
                    {
                        var entry = a.StorageKey is null ? null : $"attachments/{m.Id:N}-{index}-{Safe(a.FileName ?? "file")}";
                        if (entry is not null)
                            files.Add((entry, a.StorageKey!));
                        return new { kind = a.Kind.ToString().ToLowerInvariant(), a.FileName, a.ContentType, a.SizeBytes, file = entry, a.Url };
                    }).ToList(),
                }).ToList();
                Write(zip, $"conversations/{conversation.Id:N}.json", new
                {
                    conversation.Id, channel = conversation.Channel.ToString().ToLowerInvariant(), status = conversation.Status.ToString().ToLowerInvariant(),
                    conversation.CreatedAt, messages = lines,
                });
            }
            foreach (var (entry, storageKey) in files)
            {
                await using var content = await store.OpenReadAsync(storageKey, cancellationToken);
                if (content is null)
                    continue;
                await using var target = zip.CreateEntry(entry, CompressionLevel.Fastest).Open();
                await content.CopyToAsync(target, cancellationToken);
            }
            var decisions = journal.OrderBy(j => j.StartedAt).ThenBy(j => j.Sequence).Select(j =>
            {
                var instance = instances.First(i => i.Id == j.InstanceId);
                return new
                {
                    conversationId = instance.ConversationId, flow = flowNames.GetValueOrDefault(instance.FlowId), version = instance.Version, node = j.NodeId,
                    activity = j.ActivityType, inputs = JsonDocument.Parse(j.Inputs).RootElement, j.Outcome, j.Explanation, time = j.StartedAt, j.MessagesSent,
                };
            }).ToList();
            Write(zip, "automated-decisions.json", decisions);
            Write(zip, "human-reviews.json", reviews.Select(r => new
            {
                r.Id, status = r.Status.ToString().ToLowerInvariant(), r.CustomerWords, r.OpenedAt, r.DueAt, r.ContestedNodeId, r.ContestedExplanation, r.DecidedAt, r.Reason,
                r.CustomerMessage,
            }));

            await WriteCsvAsync(zip, "csv/contact.csv", ["field", "value"],
            [
                ["displayName", contact.DisplayName], ["phoneNumbers", string.Join(';', contact.PhoneNumbers)], ["emails", string.Join(';', contact.Emails)],
                ["company", contact.Company], ["locale", contact.Locale], ["tags", string.Join(';', contact.Tags)],
                .. contact.Attributes.Select(a => new[] { "attribute:" + a.Key, a.Value }),
                ["marketingConsent", contact.MarketingConsent ? "true" : "false"], ["processingRestricted", contact.ProcessingRestricted ? "true" : "false"],
            ], cancellationToken);
            await WriteCsvAsync(zip, "csv/messages.csv", ["conversationId", "sentAt", "direction", "from", "kind", "text", "deliveryStatus"],
                messages.Select(m => new[]
                {
                    m.ConversationId.ToString(), Time(m.SentAt), m.Direction.ToString().ToLowerInvariant(), m.AuthorType.ToString().ToLowerInvariant(),
                    m.Kind.ToString().ToLowerInvariant(), m.Text, m.Status.ToString().ToLowerInvariant(),
                }), cancellationToken);
            await WriteCsvAsync(zip, "csv/automated-decisions.csv", ["time", "conversationId", "flow", "version", "node", "activity", "outcome", "explanation"],
                decisions.Select(d => new[] { Time(d.time), d.conversationId?.ToString(), d.flow, d.version.ToString(CultureInfo.InvariantCulture), d.node, d.activity, d.Outcome, d.Explanation }), cancellationToken);
        }
        return output.ToArray();
    }

    private static string Readme(string name) => $"""
        Your data, as {name}'s record is held by this business in OneInbox.

        contact.json               your profile: names, phone numbers, emails, company, language, tags, custom
                                   attributes, marketing consent and its history, restriction and blocking flags,
                                   and your accounts on each chat app
        conversations/<id>.json    one file per conversation, every message in order: who wrote it, the text, its
                                   kind, when it was sent and whether it was delivered and read; attachments point
                                   to their file in attachments/
        attachments/               the files you and the business sent
        notes.json                 the notes the business keeps about you
        automated-decisions.json   every step an automated flow took in your conversations: the flow, its version,
                                   the step, what it was given, what it decided, and why (where the business
                                   explains it)
        human-reviews.json         the reviews of automated decisions you asked for, and their outcome
        csv/                       the same as tables (contact, messages, automated decisions)

        Times are UTC (ISO 8601).
        """;

    private static void Write(ZipArchive zip, string name, object value) => WriteText(zip, name, JsonSerializer.Serialize(value, Json));

    private static void WriteText(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A table as CSV, written as the contact export writes it: cells a spreadsheet would run as formulas are escaped.</summary>
    private static async Task WriteCsvAsync(ZipArchive zip, string name, string[] header, IEnumerable<string?[]> rows, CancellationToken cancellationToken)
    {
        await using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        await using var csv = CsvWriter.Create(stream, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        csv.WriteHeader(header);
        foreach (var row in rows)
            await csv.WriteRecordAsync(row.Select(v => v ?? string.Empty).ToArray(), cancellationToken);
        await csv.FlushAsync(cancellationToken);
    }

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static string Safe(string fileName)
    {
        var clean = new string(fileName.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return clean.Length > 80 ? clean[^80..] : clean;
    }

    private static byte[] Seal(byte[] key, byte[] plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(key, tag.Length))
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        return [.. Magic, .. nonce, .. tag, .. ciphertext];
    }

    private static byte[] Open(byte[] key, byte[] sealedBytes)
    {
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        if (sealedBytes.Length < Magic.Length + nonceSize + tagSize || !sealedBytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CryptographicException("Not a sealed export.");
        var nonce = sealedBytes.AsSpan(Magic.Length, nonceSize);
        var tag = sealedBytes.AsSpan(Magic.Length + nonceSize, tagSize);
        var ciphertext = sealedBytes.AsSpan(Magic.Length + nonceSize + tagSize);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(key, tagSize);
        aes.Decrypt(nonce, ciphertext, tag, plaintext);
        return plaintext;
    }
}
