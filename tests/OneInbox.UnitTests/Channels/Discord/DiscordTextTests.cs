using OneInbox.Infrastructure.Channels.Discord;

namespace OneInbox.UnitTests.Channels.Discord;

public class DiscordTextTests
{
    [Fact]
    public void Text_up_to_2000_characters_is_one_message()
    {
        var text = new string('a', 2000);
        Assert.Equal([text], DiscordText.Split(text));
    }

    [Fact]
    public void Longer_text_is_cut_at_a_line_break_and_nothing_is_lost()
    {
        var first = string.Join(' ', Enumerable.Repeat("word", 300));
        var second = string.Join(' ', Enumerable.Repeat("more", 300));
        var parts = DiscordText.Split(first + "\n" + second);

        Assert.Equal([first, second], parts);
    }

    [Fact]
    public void Text_without_spaces_is_cut_hard_and_never_inside_a_surrogate_pair()
    {
        var text = new string('a', 1999) + "😀" + new string('b', 3000);
        var parts = DiscordText.Split(text);

        Assert.All(parts, p => Assert.True(p.Length <= 2000));
        Assert.Equal(text, string.Concat(parts));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1])));
    }
}
