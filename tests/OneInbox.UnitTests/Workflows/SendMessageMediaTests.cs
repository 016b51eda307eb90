using NSubstitute;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Runtime;
using static OneInbox.UnitTests.Workflows.G;

namespace OneInbox.UnitTests.Workflows;

public class SendMessageMediaTests
{
    private static async Task<(BotMessage Sent, JournalRecord Entry)> RunAsync(object media)
    {
        var port = Substitute.For<IConversationActions>();
        var compiled = Compiler().Compile(Graph([Node("n1", "SendMessage", new
        {
            text = "Our menu, {{ contact.name }}",
            media,
            buttons = new[] { new { title = "Order", payload = "order" } },
        })]));
        Assert.Empty(compiled.Problems);
        var context = new FlowRunContext(port) { Contact = new Dictionary<string, object?> { ["name"] = "Ada" } };

        var result = await new FlowRuntime(TimeProvider.System).StartAsync(compiled.Flow!, context, null, CancellationToken.None);

        var sent = port.ReceivedCalls().Single(c => c.GetMethodInfo().Name == nameof(IConversationActions.SendMessageAsync)).GetArguments()[0];
        return (Assert.IsType<BotMessage>(sent), result.Journal.Single());
    }

    [Fact]
    public async Task Send_message_hands_its_media_url_and_kind_to_the_conversation_with_the_text_and_buttons()
    {
        var (sent, entry) = await RunAsync(new { url = "https://cdn.example.com/menu.jpg", kind = "image" });

        Assert.Equal(new BotMedia("https://cdn.example.com/menu.jpg", "image"), sent.Media);
        Assert.Equal("Our menu, Ada", sent.Text);
        Assert.Equal("order", Assert.Single(sent.Buttons).Payload);
        var media = Assert.IsType<Dictionary<string, object?>>(entry.Inputs["media"]);
        Assert.Equal("https://cdn.example.com/menu.jpg", media["url"]);
    }

    [Theory]
    [InlineData("https://cdn.example.com/price-list.pdf", "document")]
    [InlineData("https://cdn.example.com/clip.mp4", "video")]
    [InlineData("https://cdn.example.com/greeting.mp3", "audio")]
    [InlineData("https://cdn.example.com/shop.png?size=large", "image")]
    public async Task Media_without_a_kind_takes_it_from_the_file_extension(string url, string kind)
    {
        var (sent, _) = await RunAsync(new { url });

        Assert.Equal(kind, sent.Media!.Kind);
    }

    [Theory]
    [InlineData("http://cdn.example.com/menu.jpg", "https")]
    [InlineData("https://127.0.0.1/menu.jpg", "loopback")]
    [InlineData("https://10.1.2.3/menu.jpg", "private")]
    [InlineData("https://192.168.0.10/menu.jpg", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("https://[::1]/menu.jpg", "loopback")]
    [InlineData("https://localhost/menu.jpg", "local host name")]
    [InlineData("https://user:secret@cdn.example.com/menu.jpg", "password")]
    [InlineData("not a url", "absolute URL")]
    public void A_media_url_that_is_not_public_https_is_a_problem_on_the_media_field(string url, string reason)
    {
        var problems = Compiler().Compile(Graph([Node("n1", "SendMessage", new { text = "hi", media = new { url, kind = "image" } })])).Problems;

        var problem = Assert.Single(problems);
        Assert.Equal(("n1", "media"), (problem.NodeId, problem.Field));
        Assert.Contains(reason, problem.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_unknown_media_kind_is_a_problem_that_names_the_kinds()
    {
        var problems = Compiler().Compile(Graph([Node("n1", "SendMessage", new { text = "hi", media = new { url = "https://cdn.example.com/a.gif", kind = "sticker" } })])).Problems;

        Assert.Contains("image, video, audio, document", Assert.Single(problems).Message, StringComparison.Ordinal);
    }
}
