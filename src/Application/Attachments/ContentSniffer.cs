using System.Text;

namespace OneInbox.Application.Attachments;

/// <summary>
/// Decides a file's type from its first bytes rather than trusting the uploader, and whether it may ever
/// be shown inline: only passive media may; anything a browser could execute (HTML, SVG, XML) is served
/// as a download.
/// </summary>
public static class ContentSniffer
{
    public const int HeadLength = 512;

    private static readonly HashSet<string> Inline = new(StringComparer.Ordinal)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "audio/mpeg", "audio/ogg", "video/mp4", "application/pdf",
    };

    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return "image/png";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return "image/jpeg";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
            return "image/gif";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
            return "image/webp";
        if (head.StartsWith("%PDF-"u8))
            return "application/pdf";
        if (head.StartsWith("OggS"u8))
            return "audio/ogg";
        if (head.StartsWith("ID3"u8))
            return "audio/mpeg";
        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8))
            return "video/mp4";
        if (head.StartsWith("PK\x03\x04"u8))
            return "application/zip";

        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        if (text.StartsWith("<svg", StringComparison.Ordinal) || (text.StartsWith("<?xml", StringComparison.Ordinal) && text.Contains("<svg", StringComparison.Ordinal)))
            return "image/svg+xml";
        if (text.StartsWith("<!doctype html", StringComparison.Ordinal) || text.StartsWith("<html", StringComparison.Ordinal)
            || text.Contains("<script", StringComparison.Ordinal))
            return "text/html";
        if (text.StartsWith("<?xml", StringComparison.Ordinal))
            return "application/xml";
        if (IsPlainText(head))
            return "text/plain";
        return "application/octet-stream";
    }

    /// <summary>Whether a browser may render the type in place; everything else is sent as a download.</summary>
    public static bool MayShowInline(string contentType) => Inline.Contains(contentType);

    private static bool IsPlainText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
            return false;
        foreach (var b in head)
        {
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B))
                return false;
        }
        return Encoding.UTF8.GetCharCount(head) > 0;
    }
}
