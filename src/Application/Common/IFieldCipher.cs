namespace OneInbox.Application.Common;

/// <summary>
/// Encrypts secrets and message content for storage (AES-GCM with keys held outside the database).
/// Ciphertext names the key that made it, so keys can rotate.
/// </summary>
public interface IFieldCipher
{
    string Encrypt(string plaintext);

    string Decrypt(string ciphertext);
}
