using System.Security.Cryptography;
using OneInbox.Infrastructure.Security;

namespace OneInbox.UnitTests.Channels;

public sealed class ContactKeyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oneinbox-contact-keys-").FullName;

    private static FieldKeyRing Ring(string active, Dictionary<string, byte[]> keys) => new(active, keys);

    [Fact]
    public void A_value_sealed_for_a_contact_reads_back_until_the_contacts_key_is_destroyed()
    {
        var ring = Ring("k1", new() { ["k1"] = RandomNumberGenerator.GetBytes(32) });
        var keys = new ContactKeyStore(ring, _folder);
        var cipher = new FieldCipher(ring, keys);
        var ada = Guid.NewGuid();
        var bob = Guid.NewGuid();

        var sealedForAda = cipher.EncryptFor(ada, "Ada's secret");
        var sealedForBob = cipher.EncryptFor(bob, "Bob's secret");
        Assert.StartsWith($"c1.{ada:N}.", sealedForAda, StringComparison.Ordinal);
        Assert.Equal("Ada's secret", cipher.Decrypt(sealedForAda));

        keys.Destroy(ada);
        Assert.Equal(FieldCipher.Erased, cipher.Decrypt(sealedForAda));
        Assert.Equal("Bob's secret", cipher.Decrypt(sealedForBob));
        Assert.Throws<ContactErasedException>(() => cipher.EncryptFor(ada, "late message"));

        // Another node (a fresh store on the same folder) sees the tombstone, not a key.
        var otherNode = new FieldCipher(ring, new ContactKeyStore(ring, _folder));
        Assert.Equal(FieldCipher.Erased, otherNode.Decrypt(sealedForAda));
        Assert.Equal("Bob's secret", otherNode.Decrypt(sealedForBob));
    }

    [Fact]
    public void Keys_made_together_for_a_units_new_contacts_open_on_every_node_and_an_existing_key_is_kept()
    {
        var ring = Ring("k1", new() { ["k1"] = RandomNumberGenerator.GetBytes(32) });
        var keys = new ContactKeyStore(ring, _folder);
        var existing = Guid.NewGuid();
        var sealedBefore = new FieldCipher(ring, new ContactKeyStore(ring, _folder)).EncryptFor(existing, "made earlier");
        var created = Enumerable.Range(0, 32).Select(_ => Guid.NewGuid()).ToList();

        keys.CreateAll([.. created, existing, created[0]]);

        Assert.Equal(33, Directory.EnumerateFiles(_folder, "*.key", SearchOption.AllDirectories).Count());
        var cipher = new FieldCipher(ring, keys);
        var otherNode = new FieldCipher(ring, new ContactKeyStore(ring, _folder));
        Assert.All(created, id => Assert.Equal($"for {id}", otherNode.Decrypt(cipher.EncryptFor(id, $"for {id}"))));
        Assert.Equal("made earlier", cipher.Decrypt(sealedBefore));
    }

    [Fact]
    public void Contact_keys_survive_a_rotation_of_the_installation_key_and_can_be_rewrapped()
    {
        var k1 = RandomNumberGenerator.GetBytes(32);
        var old = Ring("k1", new() { ["k1"] = k1 });
        var contact = Guid.NewGuid();
        var value = new FieldCipher(old, new ContactKeyStore(old, _folder)).EncryptFor(contact, "kept across rotation");

        var rotated = Ring("k2", new() { ["k1"] = k1, ["k2"] = RandomNumberGenerator.GetBytes(32) });
        var store = new ContactKeyStore(rotated, _folder);
        Assert.Equal("kept across rotation", new FieldCipher(rotated, store).Decrypt(value));
        Assert.Equal(1, store.Rewrap());

        var withoutOld = Ring("k2", new() { ["k2"] = rotated.Find("k2")! });
        Assert.Equal("kept across rotation", new FieldCipher(withoutOld, new ContactKeyStore(withoutOld, _folder)).Decrypt(value));
    }

    [Fact]
    public void A_key_file_moved_to_another_contact_does_not_open_it()
    {
        var ring = Ring("k1", new() { ["k1"] = RandomNumberGenerator.GetBytes(32) });
        var keys = new ContactKeyStore(ring, _folder);
        var ada = Guid.NewGuid();
        var eve = Guid.NewGuid();
        keys.GetOrCreate(ada);
        var adaFile = Directory.EnumerateFiles(_folder, $"{ada:N}.key", SearchOption.AllDirectories).Single();
        var eveFile = Path.Combine(_folder, eve.ToString("N")[^2..], $"{eve:N}.key");
        Directory.CreateDirectory(Path.GetDirectoryName(eveFile)!);
        File.Copy(adaFile, eveFile);
        Assert.ThrowsAny<CryptographicException>(() => new ContactKeyStore(ring, _folder).Find(eve, out _));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
