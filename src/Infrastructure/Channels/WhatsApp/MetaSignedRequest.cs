using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

public enum SignedRequestCheck
{
    Valid,
    Malformed,
    BadSignature,
    WrongAlgorithm,
    Expired,
}

/// <summary>
/// Meta's <c>signed_request</c>: <c>base64url(signature).base64url(payload)</c>, the signature being HMAC-SHA256 of the
/// encoded payload with the app secret, the payload JSON naming <c>algorithm</c>, <c>user_id</c> and <c>issued_at</c>.
/// Checked in constant time; anything not exactly right fails closed.
/// </summary>
public static class MetaSignedRequest
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    public static SignedRequestCheck Check(string? signedRequest, string appSecret, DateTimeOffset now, out string? userId)
    {
        userId = null;
        var parts = signedRequest?.Split('.') ?? [];
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || !TryDecode(parts[0], out var signature) || !TryDecode(parts[1], out var payloadBytes))
            return SignedRequestCheck.Malformed;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.ASCII.GetBytes(parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
            return SignedRequestCheck.BadSignature;
        try
        {
            using var payload = JsonDocument.Parse(payloadBytes);
            var root = payload.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return SignedRequestCheck.Malformed;
            if (!root.TryGetProperty("algorithm", out var algorithm) || algorithm.ValueKind != JsonValueKind.String
                || !string.Equals(algorithm.GetString(), "HMAC-SHA256", StringComparison.OrdinalIgnoreCase))
                return SignedRequestCheck.WrongAlgorithm;
            if (!root.TryGetProperty("issued_at", out var issued) || !issued.TryGetInt64(out var issuedAt)
                || now - DateTimeOffset.FromUnixTimeSeconds(issuedAt) > MaxAge
                || root.TryGetProperty("expires", out var expires) && expires.TryGetInt64(out var expiresAt) && expiresAt > 0 && DateTimeOffset.FromUnixTimeSeconds(expiresAt) < now)
                return SignedRequestCheck.Expired;
            userId = root.TryGetProperty("user_id", out var user) ? user.ValueKind switch
            {
                JsonValueKind.String => user.GetString(),
                JsonValueKind.Number => user.GetRawText(),
                _ => null,
            } : null;
            return string.IsNullOrWhiteSpace(userId) || userId.Length > 100 ? SignedRequestCheck.Malformed : SignedRequestCheck.Valid;
        }
        catch (JsonException)
        {
            return SignedRequestCheck.Malformed;
        }
    }

    /// <summary>For tests and tools: a signed_request as Meta makes it.</summary>
    public static string Sign(string payloadJson, string appSecret)
    {
        var payload = Encode(Encoding.UTF8.GetBytes(payloadJson));
        return Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.ASCII.GetBytes(payload))) + "." + payload;
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) && (bytes = bytes[..written]).Length > 0;
    }
}
