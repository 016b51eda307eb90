using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OneInbox.Infrastructure.Channels.Api;

/// <summary>
/// The API channel's callback signature: <c>v1=</c> hex HMAC-SHA256 keyed with the connection's signing secret
/// over <c>timestamp + "." + body</c>. Binding the timestamp lets receivers refuse replays of old deliveries.
/// </summary>
public static class ApiSignature
{
    public const string TimestampHeader = "X-OneInbox-Timestamp";
    public const string SignatureHeader = "X-OneInbox-Signature";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>How a receiver checks it: same signature, in constant time, and a timestamp within the tolerance.</summary>
    public static bool Verify(string secret, string timestamp, string signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
            return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
