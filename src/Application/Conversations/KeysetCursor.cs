using System.Buffers.Binary;
using System.Buffers.Text;

namespace OneInbox.Application.Conversations;

/// <summary>
/// Opaque cursor for lists ordered by a time and then the id (inbox by last activity, history by time):
/// the time alone ties, the id alone does not follow activity, so the cursor carries both.
/// </summary>
public static class KeysetCursor
{
    private const int Length = 8 + 16;

    public static string Encode(DateTimeOffset at, Guid id)
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, at.UtcTicks);
        id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? cursor, out DateTimeOffset at, out Guid id)
    {
        at = default;
        id = Guid.Empty;
        if (string.IsNullOrEmpty(cursor) || !Base64Url.IsValid(cursor, out var length) || length != Length)
            return false;
        Span<byte> bytes = stackalloc byte[Length];
        Base64Url.DecodeFromChars(cursor, bytes);
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            return false;
        at = new DateTimeOffset(ticks, TimeSpan.Zero);
        id = new Guid(bytes[8..], bigEndian: true);
        return true;
    }

    public static bool IsValid(string? cursor) => cursor is null || TryDecode(cursor, out _, out _);
}
