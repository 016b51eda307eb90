using System.Security.Cryptography;
using System.Text;
using OneInbox.Application.Common;

namespace OneInbox.Infrastructure.Security;

/// <summary>
/// AES-256-GCM for secrets and message content at rest. Ciphertext reads <c>v1.&lt;keyId&gt;.&lt;base64(nonce|tag|data)&gt;</c>,
/// so rows written under an older key stay readable after the active key rotates. A person's data is sealed under
/// their contact's own key instead (<c>c1.&lt;contactId&gt;.…</c>, see <see cref="ContactKeyStore"/>), so that destroying
/// that one key makes all of it unreadable; once it is gone such values read as <see cref="Erased"/>.
/// </summary>
public sealed class FieldCipher : IFieldCipher
{
    private const string Version = "v1";
    private const string ContactVersion = "c1";

    /// <summary>What a value sealed under a destroyed contact key reads as, while its row waits to be deleted.</summary>
    public const string Erased = "[erased]";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly FieldKeyRing _keys;
    private readonly ContactKeyStore? _contactKeys;

    public FieldCipher(FieldKeyRing keys, ContactKeyStore? contactKeys = null)
    {
        _keys = keys;
        _contactKeys = contactKeys;
    }

    public string EncryptFor(Guid contactId, string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        if (_contactKeys is null)
            return Encrypt(plaintext);
        var keyId = contactId.ToString("N");
        return $"{ContactVersion}.{keyId}.{Seal(_contactKeys.GetOrCreate(contactId), plaintext, ContactVersion + "." + keyId)}";
    }

    public string Encrypt(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var (keyId, key) = _keys.Active;
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), AssociatedData(keyId));
        return $"{Version}.{keyId}.{Convert.ToBase64String(sealedBytes)}";
    }

    public string Decrypt(string ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (ciphertext.StartsWith(ContactVersion + ".", StringComparison.Ordinal))
            return DecryptContactValue(ciphertext);
        var parts = ciphertext.Split('.', 3);
        if (parts.Length != 3 || parts[0] != Version)
            throw new CryptographicException("The value is not a OneInbox ciphertext.");
        var key = _keys.Find(parts[1]) ?? throw new CryptographicException($"The key '{parts[1]}' that encrypted this value is not configured.");
        var sealedBytes = Convert.FromBase64String(parts[2]);
        if (sealedBytes.Length < NonceSize + TagSize)
            throw new CryptographicException("The ciphertext is truncated.");
        var data = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), data, AssociatedData(parts[1]));
        return Encoding.UTF8.GetString(data);
    }

    private string DecryptContactValue(string ciphertext)
    {
        var parts = ciphertext.Split('.', 3);
        if (parts.Length != 3 || !Guid.TryParseExact(parts[1], "N", out var contactId))
            throw new CryptographicException("The value is not a OneInbox contact ciphertext.");
        var key = (_contactKeys ?? throw new CryptographicException("No contact key store is configured.")).Find(contactId, out var erased);
        if (key is null)
            return erased ? Erased : throw new CryptographicException($"The key of contact {contactId} is missing.");
        var sealedBytes = Convert.FromBase64String(parts[2]);
        if (sealedBytes.Length < NonceSize + TagSize)
            throw new CryptographicException("The ciphertext is truncated.");
        var data = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), data,
            Encoding.ASCII.GetBytes(ContactVersion + "." + parts[1]));
        return Encoding.UTF8.GetString(data);
    }

    private static string Seal(byte[] key, string plaintext, string associated)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.ASCII.GetBytes(associated));
        return Convert.ToBase64String(sealedBytes);
    }

    // Binding the key id into the tag stops anyone relabelling a value to make it decrypt under another key.
    private static byte[] AssociatedData(string keyId) => Encoding.ASCII.GetBytes(Version + "." + keyId);
}
