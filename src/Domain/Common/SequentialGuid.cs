using System.Security.Cryptography;

namespace OneInbox.Domain.Common;

/// <summary>
/// Version 7 UUIDs (RFC 9562) that also increase within one millisecond on this node. The 12 bits after the
/// version hold a counter (the RFC's "fixed-length dedicated counter" method), so rows created one after another
/// sort in creation order by id: lists ordered "newest first" by id never swap two rows made in the same
/// millisecond, as plain version 7 ids (random in those bits) do.
/// </summary>
public static class SequentialGuid
{
    private const int MaxCounter = 0xFFF;
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;
    private static int _counter;

    public static Guid Next()
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        long milliseconds;
        int counter;
        lock (Gate)
        {
            if (now > _lastMilliseconds)
            {
                _lastMilliseconds = now;
                _counter = 0;
            }
            else if (++_counter > MaxCounter)
            {
                // More than 4,096 ids in one millisecond (or the clock stepped back): borrow the next millisecond.
                _lastMilliseconds++;
                _counter = 0;
            }
            milliseconds = _lastMilliseconds;
            counter = _counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
