using NSubstitute;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Runtime;
using static OneInbox.UnitTests.Workflows.G;
using OneInbox.Domain.Flows;

namespace OneInbox.UnitTests.Workflows;

public class SendMessageMediaTests
{
    private static async Task<(BotMessage Sent, JournalRecord Entry)> RunAsync(object media, Dictionary<string, object?>? contact = null)
    {
        var (port, result) = await StartAsync(media, contact);

        var sent = port.ReceivedCalls().Single(c => c.GetMethodInfo().Name == nameof(IConversationActions.SendMessageAsync)).GetArguments()[0];
        return (Assert.IsType<BotMessage>(sent), result.Journal.Single());
    }

    private static async Task<(IConversationActions Port, FlowRunResult Result)> StartAsync(object media, Dictionary<string, object?>? contact = null)
    {
        var port = Substitute.For<IConversationActions>();
        var compiled = Compiler().Compile(Graph([Node("n1", "SendMessage", new
        {
            text = "Our menu, {{ contact.name }}",
            media,
            buttons = new[] { new { title = "Order", payload = "order" } },
        })]));
        Assert.Empty(compiled.Problems);
        var context = new FlowRunContext(port) { Contact = contact ?? new Dictionary<string, object?> { ["name"] = "Ada" } };

        var result = await new FlowRuntime(TimeProvider.System).StartAsync(compiled.Flow!, context, null, CancellationToken.None);
        return (port, result);
    }

    private static IReadOnlyList<FlowProblem> Problems(string url) =>
        Compiler().Compile(Graph([Node("n1", "SendMessage", new { text = "hi", media = new { url, kind = "image" } })])).Problems;

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

    [Fact]
    public async Task A_media_url_template_is_rendered_with_the_contact_and_the_rendered_url_is_sent_and_journalled()
    {
        var contact = new Dictionary<string, object?> { ["name"] = "Ada", ["city"] = "Lisbon" };

        var (sent, entry) = await RunAsync(new { url = "https://cdn.example.com/menus/{{ contact.city | downcase }}.jpg", kind = "image" }, contact);

        Assert.Equal(new BotMedia("https://cdn.example.com/menus/lisbon.jpg", "image"), sent.Media);
        Assert.Equal("Our menu, Ada", sent.Text);
        var media = Assert.IsType<Dictionary<string, object?>>(entry.Inputs["media"]);
        Assert.Equal("https://cdn.example.com/menus/lisbon.jpg", media["url"]);
        Assert.Equal("image", media["kind"]);
    }

    [Theory]
    [InlineData("pdf", "document")]
    [InlineData("mp4", "video")]
    [InlineData("png", "image")]
    public async Task A_templated_media_url_without_a_kind_takes_it_from_the_rendered_extension(string extension, string kind)
    {
        var contact = new Dictionary<string, object?> { ["name"] = "Ada", ["format"] = extension };

        var (sent, entry) = await RunAsync(new { url = "https://cdn.example.com/welcome.{{ contact.format }}" }, contact);

        Assert.Equal($"https://cdn.example.com/welcome.{extension}", sent.Media!.Url);
        Assert.Equal(kind, sent.Media.Kind);
        Assert.Equal(kind, Assert.IsType<Dictionary<string, object?>>(entry.Inputs["media"])["kind"]);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.0.0.8", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("files.internal", "local host name")]
    [InlineData("", "absolute URL")]
    public async Task A_rendered_media_url_that_is_refused_faults_the_step_with_the_reason_and_sends_nothing(string host, string reason)
    {
        var contact = new Dictionary<string, object?> { ["name"] = "Ada", ["cdn"] = host };

        var (port, result) = await StartAsync(new { url = "https://{{ contact.cdn }}/menu.jpg", kind = "image" }, contact);

        Assert.DoesNotContain(port.ReceivedCalls(), c => c.GetMethodInfo().Name == nameof(IConversationActions.SendMessageAsync));
        await port.Received(1).HandOffAsync(FlowRuntime.FaultHandOffReason, Arg.Any<string>(), Arg.Any<CancellationToken>());
        Assert.Equal(FlowInstanceStatus.Faulted, result.State.Status);
        Assert.Equal("n1", result.Incident!.NodeId);
        Assert.StartsWith("The media URL rendered from its template is refused", result.Incident.Message, StringComparison.Ordinal);
        Assert.Contains(reason, result.Incident.Message, StringComparison.OrdinalIgnoreCase);
        var entry = result.Journal.Single();
        Assert.Equal(result.Incident.Message, entry.Error);
        Assert.Equal($"https://{host}/menu.jpg", Assert.IsType<Dictionary<string, object?>>(entry.Inputs["media"])["url"]);
    }

    [Theory]
    [InlineData("https://127.0.0.1/menus/{{ vars.sku }}.jpg", "loopback")]
    [InlineData("https://192.168.0.10/{{ vars.sku }}.jpg", "private")]
    [InlineData("https://localhost/{{ vars.sku }}.jpg", "local host name")]
    [InlineData("https://user:secret@cdn.example.com/{{ vars.sku }}.jpg", "password")]
    [InlineData("http://cdn.example.com/{{ vars.sku }}.jpg", "https:// written out")]
    [InlineData("{{ vars.url }}", "https:// written out")]
    public void A_templated_media_url_is_refused_at_publish_for_what_is_written_out(string url, string reason)
    {
        var problem = Assert.Single(Problems(url));

        Assert.Equal(("n1", "media"), (problem.NodeId, problem.Field));
        Assert.StartsWith("The media URL is refused", problem.Message, StringComparison.Ordinal);
        Assert.Contains(reason, problem.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://cdn.example.com/products/{{ vars.sku }}.png")]
    [InlineData("https://{{ vars.cdn }}/menu.jpg")]
    [InlineData("https://cdn.{{ vars.region }}.example.com/menu.jpg")]
    [InlineData("https://cdn.example.com?file={{ vars.sku | url_encode }}")]
    public void A_templated_media_url_with_a_public_or_rendered_host_compiles(string url)
    {
        Assert.Empty(Problems(url));
    }

    [Fact]
    public void A_media_url_template_that_is_not_valid_liquid_is_a_problem_on_the_media_field()
    {
        var problem = Assert.Single(Problems("https://cdn.example.com/{{ vars.sku "));

        Assert.Equal(("n1", "media"), (problem.NodeId, problem.Field));
        Assert.Contains("not a valid template", problem.Message, StringComparison.Ordinal);
    }
}
