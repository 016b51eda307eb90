using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;
using OneInbox.Domain.Contacts;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>
/// A unit of work finds its tracked rows by type (ADR 0022): the rows it added and the rows its queries read, by their
/// own type or a base type, never a row it stopped tracking (deleted and saved, detached, or cleared).
/// </summary>
public sealed class TrackedRowsTests(OneInboxApp app) : ApiTest(app)
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    [Fact]
    public async Task The_rows_a_unit_of_work_tracks_are_found_by_type_until_it_stops_tracking_them()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        Guid kept, removed;
        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var first = Contact.Create("Kept", [], [], Clock);
            var second = Contact.Create("Removed", [], [], Clock);
            db.Contacts.AddRange(first, second);
            db.ChannelIdentities.Add(ChannelIdentity.Create(first.Id, ChannelType.Telegram, "tg-1", "kept", Clock));
            Assert.Equal(["Kept", "Removed"], db.Tracked<Contact>().Select(c => c.DisplayName).Order());
            Assert.Equal(3, db.Tracked<Entity>().Count);
            await db.SaveChangesAsync();
            (kept, removed) = (first.Id, second.Id);
        }

        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            Assert.Empty(db.Tracked<Contact>());
            var read = await db.Contacts.Where(c => c.Id == kept || c.Id == removed).ToListAsync();
            Assert.Equal(2, db.Tracked<Contact>().Count);
            Assert.Single(await db.ChannelIdentities.AsNoTracking().ToListAsync());
            Assert.Empty(db.Tracked<ChannelIdentity>());

            db.Contacts.Remove(read.Single(c => c.Id == removed));
            await db.SaveChangesAsync();
            Assert.Equal([kept], db.Tracked<Contact>().Select(c => c.Id));

            db.Entry(read.Single(c => c.Id == kept)).State = EntityState.Detached;
            Assert.Empty(db.Tracked<Contact>());

            await db.Contacts.SingleAsync(c => c.Id == kept);
            Assert.Single(db.Tracked<Contact>());
            db.ClearTracked();
            Assert.Empty(db.Tracked<Entity>());
        }
    }
}
