using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>
/// Units of work are pooled (ADR 0024): a context that served one scope serves a later one, possibly of another
/// workspace. Nothing of the first may reach the second: not its workspace's rows, not the rows it left unsaved, not a
/// deferred write, not the handlers listening for its commits. And a context is another scope's only once its own scope
/// has ended, however often it was disposed before.
/// </summary>
public sealed class PooledContextTests(OneInboxApp app) : ApiTest(app)
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    /// <summary>
    /// The pool hands out its idle contexts in turn (at most 1,024 of them, however many earlier tests of this server held
    /// at once): within this many scopes every idle context has been lent at least once.
    /// </summary>
    private const int ScopesThroughThePool = 5_000;

    [Fact]
    public async Task A_context_lent_again_to_another_workspace_sees_and_keeps_nothing_of_the_last()
    {
        var first = await App.CreateWorkspaceAsync("Acme");
        var second = await App.CreateWorkspaceAsync("Globex");
        OneInboxDbContext lent;
        var heardByFirst = 0;
        await using (var scope = Scope(first.Id))
        {
            lent = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            lent.Contacts.Add(Contact.Create("Anna", [], [], Clock));
            await lent.SaveChangesAsync();
            lent.Committed += (_, _) => heardByFirst++;
            lent.Contacts.Add(Contact.Create("Alice, never saved", [], [], Clock));
            _ = lent.DeferWrites(); // left open, as a unit that failed half-way would leave it
        }

        for (var attempt = 0; attempt < ScopesThroughThePool; attempt++)
        {
            await using var scope = Scope(second.Id);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            if (!ReferenceEquals(db, lent))
                continue;

            Assert.Equal(second.Id, db.CurrentWorkspaceId);
            Assert.Empty(db.Tracked<Contact>());
            Assert.Empty(await db.Contacts.Select(c => c.DisplayName).ToListAsync());
            db.Contacts.Add(Contact.Create("Bob", [], [], Clock));
            Assert.Equal(["Bob"], db.Tracked<Contact>().Select(c => c.DisplayName));
            await db.SaveChangesAsync();
            Assert.Equal(0, heardByFirst);

            await using var check = Scope(second.Id);
            Assert.Equal(["Bob"], await check.ServiceProvider.GetRequiredService<OneInboxDbContext>().Contacts.Select(c => c.DisplayName).ToListAsync());
            return;
        }
        Assert.Fail("The context was never lent again: units of work are not pooled.");
    }

    [Fact]
    public async Task A_context_disposed_by_hand_stays_with_its_scope_until_the_scope_ends()
    {
        var first = await App.CreateWorkspaceAsync("Acme");
        var second = await App.CreateWorkspaceAsync("Globex");
        await using var scope = Scope(first.Id);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        Assert.Same(db, scope.ServiceProvider.GetRequiredService<IOneInboxDb>());
        // The container disposes it once per registration that handed it out; a first disposal must not give it back to
        // the pool while the scope still holds it, or the next would take it from whoever had it by then.
        await db.DisposeAsync();

        for (var attempt = 0; attempt < ScopesThroughThePool; attempt++)
        {
            await using var other = Scope(second.Id);
            Assert.NotSame(db, other.ServiceProvider.GetRequiredService<OneInboxDbContext>());
        }
        db.Contacts.Add(Contact.Create("Anna", [], [], Clock));
        await db.SaveChangesAsync();
        Assert.Equal(["Anna"], await db.Contacts.Select(c => c.DisplayName).ToListAsync());
    }
}
