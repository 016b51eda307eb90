using System.Security.Cryptography;
using OneInbox.Infrastructure.Security;

namespace OneInbox.UnitTests.Channels;

public sealed class FieldCipherTests : IDisposable
{
    private readonly string _dataPath = Directory.CreateTempSubdirectory("oneinbox-keys-").FullName;

    [Fact]
    public void A_value_round_trips_and_the_ciphertext_does_not_contain_it()
    {
        var cipher = new FieldCipher(Ring("k1"));

        var stored = cipher.Encrypt("7000000001:AAH-secret-bot-token");

        Assert.DoesNotContain("secret", stored, StringComparison.Ordinal);
        Assert.StartsWith("v1.k1.", stored, StringComparison.Ordinal);
        Assert.Equal("7000000001:AAH-secret-bot-token", cipher.Decrypt(stored));
    }

    [Fact]
    public void Encrypting_the_same_value_twice_gives_different_ciphertexts()
    {
        var cipher = new FieldCipher(Ring("k1"));

        Assert.NotEqual(cipher.Encrypt("same"), cipher.Encrypt("same"));
    }

    [Fact]
    public void After_rotation_old_values_still_decrypt_and_new_ones_use_the_new_key()
    {
        var k1 = RandomNumberGenerator.GetBytes(32);
        var old = new FieldCipher(new FieldKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = k1 }));
        var stored = old.Encrypt("hello");

        var rotated = new FieldCipher(new FieldKeyRing("k2", new Dictionary<string, byte[]> { ["k1"] = k1, ["k2"] = RandomNumberGenerator.GetBytes(32) }));

        Assert.Equal("hello", rotated.Decrypt(stored));
        Assert.StartsWith("v1.k2.", rotated.Encrypt("hello"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_ciphertext_is_refused()
    {
        var cipher = new FieldCipher(Ring("k1"));
        var stored = cipher.Encrypt("pay 10 EUR");
        var bytes = Convert.FromBase64String(stored.Split('.')[2]);
        bytes[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt("v1.k1." + Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void A_value_relabelled_with_another_key_id_is_refused()
    {
        var same = RandomNumberGenerator.GetBytes(32);
        var cipher = new FieldCipher(new FieldKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = same, ["k2"] = same }));
        var stored = cipher.Encrypt("hello");

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(stored.Replace("v1.k1.", "v1.k2.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_configured_keys_the_embedded_setup_creates_a_key_file_once_and_reuses_it()
    {
        var first = new FieldCipher(FieldKeyRing.Load(new EncryptionOptions(), _dataPath));
        var stored = first.Encrypt("kept across restarts");

        var afterRestart = new FieldCipher(FieldKeyRing.Load(new EncryptionOptions(), _dataPath));

        Assert.Equal("kept across restarts", afterRestart.Decrypt(stored));
        Assert.True(File.Exists(Path.Combine(_dataPath, "keys", FieldKeyRing.KeyFileName)));
    }

    [Fact]
    public void Configured_keys_win_over_the_key_file()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var ring = FieldKeyRing.Load(new EncryptionOptions { ActiveKeyId = "prod-2026", Keys = { ["prod-2026"] = key } }, _dataPath);

        Assert.Equal("prod-2026", ring.ActiveKeyId);
        Assert.False(Directory.Exists(Path.Combine(_dataPath, "keys")));
    }

    [Fact]
    public void A_key_of_the_wrong_size_is_refused_at_start()
    {
        Assert.Throws<InvalidOperationException>(() => new FieldKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = new byte[16] }));
    }

    private static FieldKeyRing Ring(string id) => new(id, new Dictionary<string, byte[]> { [id] = RandomNumberGenerator.GetBytes(32) });

    public void Dispose() => Directory.Delete(_dataPath, recursive: true);
}
