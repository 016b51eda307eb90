using System.Buffers.Text;
using System.Text;

namespace OneInbox.Application.Common.Paging;

/// <summary>One page of a list, with the opaque cursor of the next page when there is one.</summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Opaque keyset cursors. A cursor names the last row of a page; it is encoded so that clients treat it
/// as a token rather than build their own.
/// </summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string Encode(Guid lastId) => Base64Url.EncodeToString(lastId.ToByteArray(bigEndian: true));

    public static bool TryDecode(string? cursor, out Guid lastId)
    {
        lastId = Guid.Empty;
        if (string.IsNullOrEmpty(cursor))
            return false;
        Span<byte> bytes = stackalloc byte[16];
        if (!Base64Url.IsValid(cursor, out var length) || length != 16)
            return false;
        Base64Url.DecodeFromChars(cursor, bytes);
        lastId = new Guid(bytes, bigEndian: true);
        return true;
    }

    public static bool IsValid(string? cursor) => cursor is null || TryDecode(cursor, out _);

    /// <summary>A cursor for lists ordered by a text key, then id: the last row's key travels with its id.</summary>
    public static string Encode(string key, Guid lastId) =>
        Base64Url.EncodeToString([.. lastId.ToByteArray(bigEndian: true), .. Encoding.UTF8.GetBytes(key)]);

    public static bool TryDecode(string? cursor, out string key, out Guid lastId)
    {
        key = string.Empty;
        lastId = Guid.Empty;
        if (string.IsNullOrEmpty(cursor) || !Base64Url.IsValid(cursor, out var length) || length < 16)
            return false;
        var bytes = Base64Url.DecodeFromChars(cursor);
        lastId = new Guid(bytes.AsSpan(0, 16), bigEndian: true);
        try
        {
            key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 16, bytes.Length - 16);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        return true;
    }

    public static bool IsValidKeyed(string? cursor) => cursor is null || TryDecode(cursor, out _, out _);

    /// <summary>Builds a page from up to limit + 1 rows read in order: the extra row only tells that more exist.</summary>
    public static CursorPage<T> Page<T>(List<T> rows, int limit, Func<T, Guid> id)
    {
        if (rows.Count <= limit)
            return new CursorPage<T>(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new CursorPage<T>(rows, Encode(id(rows[^1])));
    }
}
