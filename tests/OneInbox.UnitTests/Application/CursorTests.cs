using OneInbox.Application.Common.Paging;

namespace OneInbox.UnitTests.Application;

public class CursorTests
{
    [Fact]
    public void A_cursor_round_trips_the_last_id()
    {
        var id = Guid.CreateVersion7();

        Assert.True(Cursor.TryDecode(Cursor.Encode(id), out var decoded));
        Assert.Equal(id, decoded);
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("abc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_made_up_cursor_is_not_valid(string cursor)
    {
        Assert.False(Cursor.IsValid(cursor));
    }

    [Fact]
    public void A_page_tells_whether_more_rows_follow()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.CreateVersion7()).ToList();

        var page = Cursor.Page(ids.ToList(), 3, id => id);
        var last = Cursor.Page(ids.Take(3).ToList(), 3, id => id);

        Assert.Equal(3, page.Items.Count);
        Assert.Equal(Cursor.Encode(ids[2]), page.NextCursor);
        Assert.Null(last.NextCursor);
    }
}
