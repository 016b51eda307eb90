using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace OneInbox.Infrastructure.Identity;

/// <summary>
/// The token server's RSA keys. Configured paths (production: shared by every node) are loaded as they
/// are; otherwise keys are made once in the data folder and reused, so tokens survive a restart.
/// </summary>
public static class TokenKeys
{
    public static RsaSecurityKey LoadOrCreate(string? configuredPath, string dataPath, string name)
    {
        var path = configuredPath is { Length: > 0 } ? configuredPath : Path.Combine(dataPath, "keys", name + ".pem");
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else if (configuredPath is { Length: > 0 })
        {
            throw new FileNotFoundException($"The configured {name} key was not found.", configuredPath);
        }
        else
        {
            rsa.KeySize = 2048;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            File.WriteAllText(path, pem);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new RsaSecurityKey(rsa) { KeyId = name + "-" + Convert.ToHexString(SHA256.HashData(rsa.ExportRSAPublicKey()))[..16] };
    }
}
