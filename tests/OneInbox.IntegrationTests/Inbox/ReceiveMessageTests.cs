using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class ReceiveMessageTests(OneInboxApp app) : ApiTest(app)
{
    private readonly Guid _workspace = Guid.NewGuid();

    [Fact]
    public async Task A_first_message_creates_the_contact_and_opens_a_conversation()
    {
        var channel = new Channel(App, _workspace);

        var received = await channel.ReceiveAsync("1001", "Hello", name: "Ann");

        Assert.False(received.Duplicate);
        Assert.Equal(1L, await App.CountAsync("Contacts"));
        Assert.Equal(1L, await App.CountAsync("ChannelIdentities"));
        Assert.Equal(1L, await App.CountAsync("Conversations"));
        Assert.Equal("Ann", await App.ScalarAsync<string>($"SELECT \"DisplayName\" FROM \"Contacts\" WHERE \"Id\" = '{received.ContactId}'"));
        Assert.Equal(_workspace, await App.ScalarAsync<Guid>($"SELECT \"WorkspaceId\" FROM \"Conversations\" WHERE \"Id\" = '{received.ConversationId}'"));
    }

    [Fact]
    public async Task A_repeat_with_the_same_provider_id_changes_nothing()
    {
        var channel = new Channel(App, _workspace);
        var first = await channel.ReceiveAsync("1001", "Hello", providerId: "tg-1");

        var repeat = await channel.ReceiveAsync("1001", "Hello", providerId: "tg-1");

        Assert.True(repeat.Duplicate);
        Assert.Equal(first with { Duplicate = true }, repeat);
        Assert.Equal(1L, await App.CountAsync("Messages"));
        Assert.Equal(1L, await App.CountAsync("Contacts"));
    }

    [Fact]
    public async Task The_next_message_from_the_same_account_joins_the_open_conversation()
    {
        var channel = new Channel(App, _workspace);
        var first = await channel.ReceiveAsync("1001", "Hello");

        var second = await channel.ReceiveAsync("1001", "Are you there?");

        Assert.Equal(first.ConversationId, second.ConversationId);
        Assert.Equal(first.ContactId, second.ContactId);
        Assert.Equal(2L, await App.CountAsync("Messages"));
    }

    [Fact]
    public async Task The_same_account_on_another_connection_is_the_same_contact_in_another_conversation()
    {
        var first = await new Channel(App, _workspace).ReceiveAsync("1001", "Hello");

        var second = await new Channel(App, _workspace).ReceiveAsync("1001", "Hello from the other bot");

        Assert.Equal(first.ContactId, second.ContactId);
        Assert.NotEqual(first.ConversationId, second.ConversationId);
    }

    [Fact]
    public async Task The_same_account_id_in_another_workspace_is_another_contact()
    {
        var first = await new Channel(App, _workspace).ReceiveAsync("1001", "Hello");

        var second = await new Channel(App, Guid.NewGuid()).ReceiveAsync("1001", "Hello");

        Assert.NotEqual(first.ContactId, second.ContactId);
        Assert.Equal(2L, await App.CountAsync("Contacts"));
    }

    [Fact]
    public async Task An_edit_updates_the_text_of_the_original_message()
    {
        var channel = new Channel(App, _workspace);
        var original = await channel.ReceiveAsync("1001", "Helo", providerId: "tg-7");

        var edit = await channel.ReceiveAsync("1001", "Hello", providerId: "tg-7", editOf: "tg-7");

        Assert.Equal(original.MessageId, edit.MessageId);
        Assert.Equal(1L, await App.CountAsync("Messages"));
        var stored = await App.ScalarAsync<string>($"SELECT \"Text\" FROM \"Messages\" WHERE \"Id\" = '{original.MessageId}'");
        Assert.DoesNotContain("Hello", stored, StringComparison.Ordinal);
        Assert.Equal("Hello", App.Services.GetRequiredService<IFieldCipher>().Decrypt(stored));
    }

    [Fact]
    public async Task After_resolution_the_next_message_opens_a_new_conversation()
    {
        var channel = new Channel(App, _workspace);
        var first = await channel.ReceiveAsync("1001", "Hello");
        await App.ExecuteAsync($"UPDATE \"Conversations\" SET \"Status\" = 3 WHERE \"Id\" = '{first.ConversationId}'");

        var next = await channel.ReceiveAsync("1001", "Me again");

        Assert.NotEqual(first.ConversationId, next.ConversationId);
        Assert.Equal(first.ContactId, next.ContactId);
    }

    [Fact]
    public async Task A_message_without_a_provider_id_is_refused_and_stores_nothing()
    {
        var channel = new Channel(App, _workspace);

        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => channel.ReceiveAsync("1001", "Hello", providerId: ""));

        Assert.Equal(0L, await App.CountAsync("Contacts"));
    }
}
