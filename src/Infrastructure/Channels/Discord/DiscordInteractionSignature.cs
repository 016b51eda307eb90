using System.Globalization;
using System.Text;
using NSec.Cryptography;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// Checks an HTTP interaction the way Discord signs it (channels.md §3.7): Ed25519 with the application's
/// public key over the UTF-8 timestamp followed by the raw body. Anything malformed fails; so does a
/// timestamp more than five minutes from now, so a captured request cannot be replayed later.
/// </summary>
internal static class DiscordInteractionSignature
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    public static bool Verify(string publicKeyHex, string? timestamp, string? signatureHex, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (timestamp is null || signatureHex is null || signatureHex.Length != 128 || publicKeyHex.Length != 64)
            return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > MaxSkew)
            return false;
        byte[] signature;
        byte[] keyBytes;
        try
        {
            signature = Convert.FromHexString(signatureHex);
            keyBytes = Convert.FromHexString(publicKeyHex);
        }
        catch (FormatException)
        {
            return false;
        }
        var algorithm = SignatureAlgorithm.Ed25519;
        if (!PublicKey.TryImport(algorithm, keyBytes, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            return false;
        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[stamp.Length + body.Length];
        stamp.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(stamp.Length));
        // NSec's Verify compares in constant time; a failure says nothing about where the bytes differ.
        return algorithm.Verify(key, message, signature);
    }

    /// <summary>Whether a configured public key is 32 bytes of hex, as the Developer Portal shows it.</summary>
    public static bool IsValidPublicKey(string? hex) =>
        hex is { Length: 64 } && hex.All(Uri.IsHexDigit)
        && PublicKey.TryImport(SignatureAlgorithm.Ed25519, Convert.FromHexString(hex), KeyBlobFormat.RawPublicKey, out _);
}
