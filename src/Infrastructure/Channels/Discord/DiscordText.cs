namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>Splits text longer than Discord's 2000 characters into messages, at a line break or space where one is near.</summary>
internal static class DiscordText
{
    public static IReadOnlyList<string> Split(string text, int max = DiscordRestClient.MaxContent)
    {
        var parts = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > max)
        {
            var window = rest[..max];
            var cut = window.LastIndexOf('\n');
            if (cut < max / 2)
                cut = window.LastIndexOf(' ');
            if (cut < max / 2)
                cut = max;
            // Never cut a surrogate pair in two: the halves are not characters Discord accepts.
            if (char.IsHighSurrogate(rest[cut - 1]))
                cut--;
            parts.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0 || parts.Count == 0)
            parts.Add(rest.ToString());
        return parts;
    }
}
