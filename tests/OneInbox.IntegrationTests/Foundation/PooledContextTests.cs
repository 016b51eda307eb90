using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Domain.Contacts;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>
/// Units of work are pooled (ADR 0024): a context that served one scope serves a later one, possibly of another
/// workspace. Nothing of the first may reach the second: not its workspace's rows, not the rows it left unsaved, not a
/// deferred write.
/// </summary>
public sealed class PooledContextTests(OneInboxApp app) : ApiTest(app)
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    [Fact]
    public async Task A_context_lent_again_to_another_workspace_sees_and_keeps_nothing_of_the_last()
    {
        var first = await App.CreateWorkspaceAsync("Acme");
        var second = await App.CreateWorkspaceAsync("Globex");
        OneInboxDbContext lent;
        await using (var scope = Scope(first.Id))
        {
            lent = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            lent.Contacts.Add(Contact.Create("Anna", [], [], Clock));
            await lent.SaveChangesAsync();
            lent.Contacts.Add(Contact.Create("Alice, never saved", [], [], Clock));
            _ = lent.DeferWrites(); // left open, as a unit that failed half-way would leave it
        }

        // The pool hands out its idle contexts in turn (at most 1,024 of them, however many earlier tests of this
        // server held at once), so the one above comes back within a few of its rounds.
        for (var attempt = 0; attempt < 5_000; attempt++)
        {
            await using var scope = Scope(second.Id);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            if (!ReferenceEquals(db, lent))
                continue;

            Assert.Equal(second.Id, db.CurrentWorkspaceId);
            Assert.Empty(db.Tracked<Contact>());
            Assert.Empty(await db.Contacts.Select(c => c.DisplayName).ToListAsync());
            db.Contacts.Add(Contact.Create("Bob", [], [], Clock));
            await db.SaveChangesAsync();

            await using var check = Scope(second.Id);
            Assert.Equal(["Bob"], await check.ServiceProvider.GetRequiredService<OneInboxDbContext>().Contacts.Select(c => c.DisplayName).ToListAsync());
            return;
        }
        Assert.Fail("The context was never lent again: units of work are not pooled.");
    }
}
