using System.Text.Json;

namespace OneInbox.Application.Channels;

/// <summary>The names of the credential entries each channel keeps, and their (de)serialisation for the encrypted column.</summary>
public static class ChannelCredentials
{
    public const string BotToken = "botToken";
    public const string SigningSecret = "signingSecret";

    public static string Serialize(IReadOnlyDictionary<string, string> credentials) => JsonSerializer.Serialize(credentials);

    public static IReadOnlyDictionary<string, string> Deserialize(string stored) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [];
}
