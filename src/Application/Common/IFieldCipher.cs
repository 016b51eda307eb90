namespace OneInbox.Application.Common;

/// <summary>
/// Encrypts secrets and message content for storage (AES-GCM with keys held outside the database).
/// Ciphertext names the key that made it, so keys can rotate.
/// </summary>
public interface IFieldCipher
{
    string Encrypt(string plaintext);

    /// <summary>Seals a person's data under their contact's own key, which erasure destroys (crypto-shredding).</summary>
    string EncryptFor(Guid contactId, string plaintext);

    string Decrypt(string ciphertext);
}
