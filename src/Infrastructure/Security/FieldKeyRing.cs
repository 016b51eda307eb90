using System.Security.Cryptography;
using System.Text.Json;

namespace OneInbox.Infrastructure.Security;

/// <summary>
/// The data keys the field cipher may use: one active key for new values, every key for old values.
/// Production configures them (<c>OneInbox:Encryption:Keys:&lt;id&gt;</c> = base64 of 32 bytes, <c>ActiveKeyId</c>);
/// the embedded setup keeps a generated key file in the data folder. Keys never go into the database or logs.
/// </summary>
public sealed class FieldKeyRing
{
    public const int KeySize = 32;
    public const string KeyFileName = "field-keys.json";

    private readonly Dictionary<string, byte[]> _keys;

    public FieldKeyRing(string activeKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        if (!keys.ContainsKey(activeKeyId))
            throw new InvalidOperationException($"The active encryption key '{activeKeyId}' is not among the configured keys.");
        foreach (var (id, key) in keys)
        {
            if (key.Length != KeySize)
                throw new InvalidOperationException($"Encryption key '{id}' must be {KeySize} bytes.");
            if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new InvalidOperationException("Encryption key ids may hold only letters, digits, '-' and '_'.");
        }
        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
        ActiveKeyId = activeKeyId;
    }

    public string ActiveKeyId { get; }

    internal (string Id, byte[] Key) Active => (ActiveKeyId, _keys[ActiveKeyId]);

    internal byte[]? Find(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>Configured keys when there are any; otherwise the data folder's key file, created on first start.</summary>
    public static FieldKeyRing Load(EncryptionOptions options, string dataPath)
    {
        if (options.Keys.Count > 0)
        {
            var configured = options.Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal);
            return new FieldKeyRing(options.ActiveKeyId ?? configured.Keys.Order(StringComparer.Ordinal).Last(), configured);
        }
        return FromKeyFile(Path.Combine(dataPath, "keys", KeyFileName));
    }

    private static FieldKeyRing FromKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var created = new KeyFile("k1", new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize)) });
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                JsonSerializer.Serialize(stream, created);
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process of this installation created it first; use theirs.
            }
        }
        var file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path))
                   ?? throw new InvalidOperationException($"The key file {path} is empty.");
        return new FieldKeyRing(file.ActiveKeyId, file.Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal));
    }

    private sealed record KeyFile(string ActiveKeyId, Dictionary<string, string> Keys);
}

/// <summary>Configuration section "OneInbox:Encryption".</summary>
public sealed class EncryptionOptions
{
    public const string Section = "OneInbox:Encryption";

    public string? ActiveKeyId { get; set; }

    /// <summary>Key id to base64 of 32 random bytes. Empty: the embedded key file is used.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];
}
