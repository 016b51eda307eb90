using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

/// <summary>
/// Meta's webhook for WhatsApp. A POST is accepted only with X-Hub-Signature-256, the HMAC-SHA256 of the exact raw
/// bytes keyed with the app secret, compared in constant time before anything is parsed. One POST may carry several
/// entries, changes, messages and statuses, for several numbers of one app: each message and each status becomes
/// its own envelope, keyed by its wamid, and routed by metadata.phone_number_id.
/// </summary>
internal sealed class WhatsAppReceiver : IInboundReceiver
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    private const string SignaturePrefix = "sha256=";

    public ChannelType Channel => WhatsAppModule.Channel;

    public InboundRoute Route { get; } = new("/webhooks/whatsapp/{connectionId:guid}", Handshake: true);

    public bool Authenticate(InboundAuth connection, InboundRequest request) =>
        connection.Credentials.GetValueOrDefault(WhatsAppCredentials.AppSecret) is { Length: > 0 } secret
        && SignatureMatches(request.Body, request.Header(SignatureHeader), secret);

    /// <summary>The header against HMAC-SHA256(app secret, raw body); anything malformed is a mismatch.</summary>
    internal static bool SignatureMatches(ReadOnlySpan<byte> body, string? header, string appSecret)
    {
        if (header is null || header.Length != SignaturePrefix.Length + 64 || !header.StartsWith(SignaturePrefix, StringComparison.Ordinal))
            return false;
        Span<byte> presented = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(SignaturePrefix.Length), presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    public string? RouteKeyOf(InboundAuth connection) => connection.Credentials.GetValueOrDefault(WhatsAppCredentials.PhoneNumberId);

    /// <summary>Numbers of one Meta app share its webhook: the same workspace and the same app secret.</summary>
    public bool MayShareWebhook(InboundAuth owner, InboundAuth other) =>
        owner.WorkspaceId == other.WorkspaceId
        && owner.Credentials.GetValueOrDefault(WhatsAppCredentials.AppSecret) is { } a
        && other.Credentials.GetValueOrDefault(WhatsAppCredentials.AppSecret) is { } b
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>hub.mode=subscribe with our verify token (constant time): echo hub.challenge.</summary>
    public string? AnswerHandshake(InboundAuth connection, Func<string, string?> query) =>
        query("hub.mode") == "subscribe" && AcceptInboundHandler.SecretMatches(connection.Secret, query("hub.verify_token"))
            && query("hub.challenge") is { Length: > 0 and <= 200 } challenge
            ? challenge
            : null;

    public IReadOnlyList<InboundDelivery>? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
                return null;
            var deliveries = new List<InboundDelivery>();
            foreach (var entry in entries.EnumerateArray())
            {
                if (!entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var change in changes.EnumerateArray())
                {
                    if (change.TryGetProperty("field", out var field) && field.GetString() == "messages" && change.TryGetProperty("value", out var value))
                        ReadValue(value, deliveries);
                }
            }
            return deliveries;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void ReadValue(JsonElement value, List<InboundDelivery> deliveries)
    {
        var metadata = value.TryGetProperty("metadata", out var m) ? m : default;
        var phoneNumberId = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("phone_number_id", out var id) ? id.GetString() : null;
        if (phoneNumberId is null)
            return;
        var names = new Dictionary<string, string?>();
        if (value.TryGetProperty("contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array)
        {
            foreach (var contact in contacts.EnumerateArray())
            {
                if (contact.TryGetProperty("wa_id", out var waId) && waId.GetString() is { } key)
                    names[key] = contact.TryGetProperty("profile", out var profile) && profile.TryGetProperty("name", out var name) ? name.GetString() : null;
            }
        }
        if (value.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                var wamid = message.GetProperty("id").GetString()!;
                var from = message.TryGetProperty("from", out var f) ? f.GetString() ?? "" : "";
                // A system message (a changed number) names the customer in system.wa_id and carries no contacts.
                var waId = names.Count == 1 && !names.ContainsKey(from) ? names.Keys.First() : from;
                deliveries.Add(new InboundDelivery(wamid, waId, Envelope(phoneNumberId, "message", message, waId, names.GetValueOrDefault(waId)), phoneNumberId));
            }
        }
        if (value.TryGetProperty("statuses", out var statuses) && statuses.ValueKind == JsonValueKind.Array)
        {
            foreach (var status in statuses.EnumerateArray())
            {
                var wamid = status.GetProperty("id").GetString()!;
                var state = status.TryGetProperty("status", out var s) ? s.GetString() : "unknown";
                var recipient = status.TryGetProperty("recipient_id", out var r) ? r.GetString() ?? "" : "";
                // A message's statuses are told apart by their state: sent, delivered and read of one wamid are three envelopes.
                deliveries.Add(new InboundDelivery($"status:{state}:{wamid}", recipient, Envelope(phoneNumberId, "status", status, recipient, null), phoneNumberId));
            }
        }
    }

    /// <summary>What one envelope keeps: the one message or status, with the number and the customer's profile name it came with.</summary>
    private static string Envelope(string phoneNumberId, string kind, JsonElement item, string waId, string? name)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("phoneNumberId", phoneNumberId);
            writer.WriteString("waId", waId);
            if (name is not null)
                writer.WriteString("name", name);
            writer.WritePropertyName(kind);
            item.WriteTo(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
