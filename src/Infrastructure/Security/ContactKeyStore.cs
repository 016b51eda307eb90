using System.Security.Cryptography;
using System.Text;
using OneInbox.Application.Common;

namespace OneInbox.Infrastructure.Security;

/// <summary>
/// Each contact's own data key, kept outside the database (ADR 0009): a file per contact holding the key wrapped
/// by the installation's key ring. A database backup therefore holds no key that opens a person's data, and
/// erasing them overwrites the file with a tombstone, after which nothing sealed under that key can be read,
/// whichever backup it comes from. Production puts this folder on storage every node shares, as it does the
/// attachments, and backs it up on its own, short schedule.
/// </summary>
public sealed class ContactKeyStore
{
    public const string FolderName = "contacts";
    private const string Tombstone = "erased";
    private const string WrapVersion = "w1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // A node that did not erase the contact forgets its key on the erasure's cache signal; if it missed the signal,
    // within this long (the tombstone is read again).
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    private readonly FieldKeyRing _ring;
    private readonly string _folder;
    private readonly ICacheSignals? _signals;
    // A contact's key, or null once they were erased.
    private readonly SignalledCache<byte[]?> _cache;

    public ContactKeyStore(FieldKeyRing ring, string folder, ICacheSignals? signals = null)
    {
        _ring = ring;
        _folder = folder;
        _signals = signals;
        _cache = new SignalledCache<byte[]?>(CachedData.ContactKeys, CacheLifetime, signals, TimeProvider.System);
        Directory.CreateDirectory(folder);
    }

    /// <summary>The contact's key, made on first use. Throws <see cref="ContactErasedException"/> once the contact was erased.</summary>
    public byte[] GetOrCreate(Guid contactId)
    {
        var found = Find(contactId, out var erased);
        if (found is not null)
            return found;
        if (erased)
            throw new ContactErasedException(contactId);
        CreateAll([contactId]);
        // Made now, or by another unit of work (or node) a moment earlier: theirs is used.
        return Find(contactId, out _) ?? throw new ContactErasedException(contactId);
    }

    /// <summary>
    /// Makes the keys of contacts created in one unit of work together: every file is written first, then all are made
    /// durable side by side, so the file system commits them in one journal transaction instead of one each (a unit
    /// of 32 new customers paid 32 fsyncs in a row). A contact that already has a key file is left to
    /// <see cref="GetOrCreate"/>. Each key is durable before any row sealed under it commits: a key lost in a crash would
    /// lose the data with it. If making them durable fails, the files are removed and the save fails with it.
    /// </summary>
    public void CreateAll(IEnumerable<Guid> contactIds)
    {
        var made = new List<(Guid ContactId, byte[] Key, string Path, FileStream Stream)>();
        try
        {
            foreach (var contactId in contactIds.Distinct())
            {
                if (_cache.TryGet(contactId, out _))
                    continue;
                var path = PathOf(contactId);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                FileStream stream;
                try
                {
                    stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 256, FileOptions.None);
                }
                catch (IOException) when (File.Exists(path))
                {
                    continue;
                }
                var key = RandomNumberGenerator.GetBytes(FieldKeyRing.KeySize);
                made.Add((contactId, key, path, stream));
                stream.Write(Encoding.ASCII.GetBytes(Wrap(contactId, key)));
            }
            Parallel.ForEach(made, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, made.Count) }, m => m.Stream.Flush(flushToDisk: true));
        }
        catch
        {
            foreach (var m in made)
            {
                m.Stream.Dispose();
                File.Delete(m.Path);
            }
            throw;
        }
        foreach (var m in made)
        {
            m.Stream.Dispose();
            _cache.Keep(m.ContactId, m.Key, _cache.BeforeReading);
        }
    }

    /// <summary>The contact's key, or null when it has none yet or was erased (<paramref name="erased"/> tells which).</summary>
    public byte[]? Find(Guid contactId, out bool erased)
    {
        erased = false;
        if (_cache.TryGet(contactId, out var cached))
        {
            erased = cached is null;
            return cached;
        }
        var beforeReading = _cache.BeforeReading;
        var path = PathOf(contactId);
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.ASCII);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        if (text == Tombstone)
        {
            erased = true;
            _cache.Keep(contactId, null, beforeReading);
            return null;
        }
        var key = Unwrap(contactId, text);
        _cache.Keep(contactId, key, beforeReading);
        return key;
    }

    /// <summary>
    /// Destroys the contact's key for good: the file is overwritten with a tombstone (so the key cannot be made
    /// again for the same contact, and a late write for them fails instead of sealing under a new key).
    /// </summary>
    public void Destroy(Guid contactId)
    {
        var path = PathOf(contactId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(Tombstone));
            stream.Flush(flushToDisk: true);
        }
        Changed(contactId);
        _cache.Keep(contactId, null, _cache.BeforeReading, forever: true);
    }

    /// <summary>
    /// Removes the key file outright, tombstone and all: for a closed workspace's final purge, after which no row is
    /// left that could ask for the key again.
    /// </summary>
    public void Remove(Guid contactId)
    {
        var path = PathOf(contactId);
        if (File.Exists(path))
            File.Delete(path);
        Changed(contactId);
    }

    /// <summary>Rewraps every stored key under the ring's active key, after a rotation (old ring keys may then go).</summary>
    public int Rewrap()
    {
        var count = 0;
        foreach (var path in Directory.EnumerateFiles(_folder, "*.key", SearchOption.AllDirectories))
        {
            if (!Guid.TryParseExact(Path.GetFileNameWithoutExtension(path), "N", out var contactId))
                continue;
            var text = File.ReadAllText(path, Encoding.ASCII);
            if (text == Tombstone || text.Split('.')[1] == _ring.ActiveKeyId)
                continue;
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, Wrap(contactId, Unwrap(contactId, text)), Encoding.ASCII);
            File.Move(temporary, path, overwrite: true);
            count++;
        }
        return count;
    }

    /// <summary>Every node's copy of the contact's key is forgotten (this node's at once).</summary>
    private void Changed(Guid contactId)
    {
        if (_signals is null)
            _cache.Forget(contactId);
        else
            _signals.Changed(CachedData.ContactKeys, contactId);
    }

    // Two hex characters of fan-out keep folders small with millions of contacts.
    private string PathOf(Guid contactId)
    {
        var name = contactId.ToString("N");
        return Path.Combine(_folder, name[^2..], name + ".key");
    }

    private string Wrap(Guid contactId, byte[] key)
    {
        var (ringKeyId, ringKey) = _ring.Active;
        var sealedBytes = new byte[NonceSize + TagSize + key.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceSize));
        using var aes = new AesGcm(ringKey, TagSize);
        aes.Encrypt(sealedBytes.AsSpan(0, NonceSize), key, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Bound(contactId, ringKeyId));
        return $"{WrapVersion}.{ringKeyId}.{Convert.ToBase64String(sealedBytes)}";
    }

    private byte[] Unwrap(Guid contactId, string wrapped)
    {
        var parts = wrapped.Split('.', 3);
        if (parts.Length != 3 || parts[0] != WrapVersion)
            throw new CryptographicException("The contact key file is not a wrapped key.");
        var ringKey = _ring.Find(parts[1]) ?? throw new CryptographicException($"The ring key '{parts[1]}' that wrapped a contact key is not configured.");
        var sealedBytes = Convert.FromBase64String(parts[2]);
        var key = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(ringKey, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), key, Bound(contactId, parts[1]));
        return key;
    }

    // A wrapped key moved to another contact's file, or relabelled with another ring key, fails to unwrap.
    private static byte[] Bound(Guid contactId, string ringKeyId) => Encoding.ASCII.GetBytes($"{WrapVersion}.{ringKeyId}.{contactId:N}");

}

/// <summary>Something tried to seal data for a contact whose key was destroyed (the unit of work fails and is retried).</summary>
public sealed class ContactErasedException(Guid contactId) : CryptographicException($"Contact {contactId} was erased; nothing can be stored for them any more.")
{
    public Guid ContactId { get; } = contactId;
}
