using OneInbox.Domain.Common;

namespace OneInbox.UnitTests.Domain;

public class SequentialGuidTests
{
    [Fact]
    public void Ids_made_one_after_another_sort_in_creation_order_as_the_database_compares_them()
    {
        // Far more than fit in one millisecond, so many share a timestamp and only the counter orders them.
        var ids = Enumerable.Range(0, 20_000).Select(_ => SequentialGuid.Next()).ToList();

        // PostgreSQL compares uuids byte by byte in network order.
        var sorted = ids.OrderBy(id => Convert.ToHexString(id.ToByteArray(bigEndian: true)), StringComparer.Ordinal).ToList();
        Assert.Equal(ids, sorted);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_are_version_7_with_the_RFC_variant_and_the_current_time()
    {
        var before = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var id = SequentialGuid.Next();

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        var bytes = id.ToByteArray(bigEndian: true);
        var milliseconds = bytes.Take(6).Aggregate(0L, (acc, b) => (acc << 8) | b);
        Assert.InRange(milliseconds, before, before + 5_000);
    }
}
