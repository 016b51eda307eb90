using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.Infrastructure.Channels;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>
/// On PostgreSQL the rows a save adds or updates are written with one statement per table (ADR 0019): what is stored must
/// be what EF would have stored (converted enums, JSON columns, text arrays, sealed texts, foreign keys in order), a
/// failure must leave nothing behind and read as EF's failures do, and a table whose rows are both added and updated in
/// the save is left to EF.
/// </summary>
public sealed class RowsPerTableTests(OneInboxApp app) : ApiTest(app)
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    [Fact]
    public async Task New_contacts_with_their_accounts_and_notes_are_written_per_table_and_read_back_as_they_were_given()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            for (var i = 0; i < 20; i++)
            {
                var contact = Contact.Create($"Customer {i}", [$"+4930123456{i:00}"], [$"c{i}@example.com"], Clock);
                contact.RecordConsent(i % 2 == 0, "marketing", "consent given", "test", null, Clock);
                // A text array goes as its literal: quotes, backslashes, commas, braces and NULL-like words must survive.
                contact.SetTags(["vip, \"gold\"", "back\\slash {x}", "null", $"tag {i}"], Clock);
                db.Contacts.Add(contact);
                db.ChannelIdentities.Add(ChannelIdentity.Create(contact.Id, ChannelType.Telegram, $"tg-{i}", $"user{i}", Clock));
                db.ContactNotes.Add(ContactNote.Record(contact.Id, ContactNoteKind.Consent, null, $"secret note {i}", Clock));
            }

            // Every added row goes by the tables' statements, the accounts and notes after the contacts they name.
            var added = RowsPerTable.Of(db.ChangeTracker);
            Assert.NotNull(added);
            Assert.True(added.Count >= 60);
            await db.SaveChangesAsync();
        }

        await using var reading = Scope(workspace.Id);
        var stored = reading.ServiceProvider.GetRequiredService<IOneInboxDb>();
        var contacts = await stored.Contacts.AsNoTracking().OrderBy(c => c.CreatedAt).ThenBy(c => c.DisplayName).ToListAsync();
        var customer7 = Assert.Single(contacts, c => c.DisplayName == "Customer 7");
        Assert.Equal(["+493012345607"], customer7.PhoneNumbers);
        Assert.Equal(["back\\slash {x}", "null", "tag 7", "vip, \"gold\""], customer7.Tags);
        Assert.False(customer7.MarketingConsent);
        Assert.Equal("consent given", Assert.Single(customer7.ConsentHistory).LegalBasis);
        Assert.True(Assert.Single(contacts, c => c.DisplayName == "Customer 8").MarketingConsent);
        var account = await stored.ChannelIdentities.AsNoTracking().SingleAsync(i => i.ExternalId == "tg-7");
        Assert.Equal((customer7.Id, ChannelType.Telegram, "user7"), (account.ContactId, account.Channel, account.Username));
        var note = await stored.ContactNotes.AsNoTracking().SingleAsync(n => n.ContactId == customer7.Id);
        Assert.Equal((ContactNoteKind.Consent, "secret note 7"), (note.Kind, note.Text));

        // The note's text is sealed at rest, as EF's own statements would have stored it.
        await using var connection = new NpgsqlConnection(reading.ServiceProvider.GetRequiredService<OneInboxDbContext>().Database.GetConnectionString());
        await connection.OpenAsync();
        await using var raw = new NpgsqlCommand("SELECT \"Text\" FROM \"ContactNotes\" WHERE \"Id\" = $1", connection) { Parameters = { new() { Value = note.Id } } };
        var sealedText = (string)(await raw.ExecuteScalarAsync())!;
        Assert.DoesNotContain("secret", sealedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_that_breaks_a_unique_key_fails_the_whole_save_as_a_lost_race_and_stores_nothing()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var first = Contact.Create("First", [], [], Clock);
            db.Contacts.Add(first);
            db.ChannelIdentities.Add(ChannelIdentity.Create(first.Id, ChannelType.Telegram, "tg-taken", null, Clock));
            await db.SaveChangesAsync();
        }

        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var second = Contact.Create("Second", [], [], Clock);
            db.Contacts.Add(second);
            db.ChannelIdentities.Add(ChannelIdentity.Create(second.Id, ChannelType.Telegram, "tg-taken", null, Clock));

            var failure = await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(DatabaseErrors.IsLostRace(failure));
            // Whoever tries again still has the rows to add.
            Assert.Equal(EntityState.Added, db.Entry(second).State);
        }

        await using var reading = Scope(workspace.Id);
        var stored = reading.ServiceProvider.GetRequiredService<IOneInboxDb>();
        Assert.Equal(["First"], await stored.Contacts.AsNoTracking().Select(c => c.DisplayName).ToListAsync());
    }

    [Fact]
    public async Task Rows_changed_after_they_were_added_or_stored_are_saved_as_they_are_at_the_save()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            // Added, then changed before its save: written as it is at the save.
            var stored = Contact.Create("Stored", [], [], Clock);
            db.Contacts.Add(stored);
            stored.Rename("Stored, renamed before its first save", Clock);
            stored.SetTags(["tagged after add"], Clock);
            await db.SaveChangesAsync();
            // Stored as it is: nothing is left to write (a stale snapshot would write it again, or fail a concurrency check).
            db.ChangeTracker.DetectChanges();
            Assert.Equal(EntityState.Unchanged, db.Entry(stored).State);

            // Stored, then changed: found by the scan. Beside it an added row changed too (a table EF writes).
            stored.Rename("Stored, renamed after", Clock);
            var added = Contact.Create("Added", [], [], Clock);
            db.Contacts.Add(added);
            added.SetPhoneNumbers(["+493012345699"], Clock);
            await db.SaveChangesAsync();

            // And a stored row changed alone, on the tables' statements.
            added.SetTags(["tagged after its save"], Clock);
            await db.SaveChangesAsync();
        }

        await using var reading = Scope(workspace.Id);
        var contacts = await reading.ServiceProvider.GetRequiredService<IOneInboxDb>().Contacts.AsNoTracking().ToListAsync();
        var first = Assert.Single(contacts, c => c.DisplayName == "Stored, renamed after");
        Assert.Equal(["tagged after add"], first.Tags);
        var second = Assert.Single(contacts, c => c.DisplayName == "Added");
        Assert.Equal(["+493012345699"], second.PhoneNumbers);
        Assert.Equal(["tagged after its save"], second.Tags);
    }

    [Fact]
    public async Task A_table_with_an_updated_row_in_the_same_save_is_written_by_ef_with_everything_that_references_it()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        Guid existingId;
        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var existing = Contact.Create("Old name", [], [], Clock);
            db.Contacts.Add(existing);
            await db.SaveChangesAsync();
            existingId = existing.Id;
        }

        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            (await db.Contacts.SingleAsync(c => c.Id == existingId)).Rename("New name", Clock);
            var added = Contact.Create("Added", [], [], Clock);
            db.Contacts.Add(added);
            db.ChannelIdentities.Add(ChannelIdentity.Create(added.Id, ChannelType.Telegram, "tg-added", null, Clock));
            db.ChangeTracker.DetectChanges();

            // A unique key may move from the updated row to the added one: EF orders those statements, so the table stays
            // with EF, and so do the accounts, whose contact EF adds.
            Assert.Null(RowsPerTable.Of(db.ChangeTracker));
            await db.SaveChangesAsync();
        }

        await using var reading = Scope(workspace.Id);
        var stored = reading.ServiceProvider.GetRequiredService<IOneInboxDb>();
        Assert.Equal(["Added", "New name"], await stored.Contacts.AsNoTracking().OrderBy(c => c.DisplayName).Select(c => c.DisplayName).ToListAsync());
        Assert.True(await stored.ChannelIdentities.AnyAsync(i => i.ExternalId == "tg-added"));
    }

    [Fact]
    public async Task Updated_rows_are_written_per_set_of_changed_columns_and_a_row_gone_fails_as_a_concurrent_change()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        var contacts = Enumerable.Range(1, 3).Select(i => Contact.Create($"Customer {i}", [], [], Clock)).ToList();
        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            db.Contacts.AddRange(contacts);
            await db.SaveChangesAsync();
        }

        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var tracked = await db.Contacts.OrderBy(c => c.DisplayName).ToListAsync();
            tracked[0].Rename("Anna", Clock);
            tracked[1].Rename("Bert", Clock);
            tracked[2].SetTags(["vip", "say \"hi\""], Clock);
            db.ChangeTracker.DetectChanges();

            var rows = RowsPerTable.Of(db.ChangeTracker);
            Assert.NotNull(rows);
            Assert.Equal(3, rows.Count);
            Assert.True(rows.IsWholeSave);
            await db.SaveChangesAsync();
            // Stored as they are: the next save finds nothing to write.
            db.ChangeTracker.DetectChanges();
            Assert.DoesNotContain(db.ChangeTracker.Entries(), e => e.State != EntityState.Unchanged);
        }

        await using (var reading = Scope(workspace.Id))
        {
            var stored = await reading.ServiceProvider.GetRequiredService<IOneInboxDb>().Contacts.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync();
            Assert.Equal(["Anna", "Bert", "Customer 3"], stored.Select(c => c.DisplayName).Order());
            Assert.Equal(["say \"hi\"", "vip"], stored.Single(c => c.DisplayName == "Customer 3").Tags);
            Assert.Empty(stored.Single(c => c.DisplayName == "Anna").Tags);
        }

        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var anna = await db.Contacts.SingleAsync(c => c.DisplayName == "Anna");
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"Contacts\" WHERE \"Id\" = {anna.Id}");
            anna.Rename("Anna B.", Clock);

            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            // Whoever tries again still has the change to write.
            Assert.Equal(EntityState.Modified, db.Entry(anna).State);
            Assert.True(db.Entry(anna).Property(c => c.DisplayName).IsModified);
        }
    }

    [Fact]
    public async Task A_reply_committed_by_the_saves_own_transaction_wakes_the_dispatcher_at_once()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        var contact = Contact.Create("Customer", [], [], Clock);
        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
        }
        // The shared host runs no dispatcher: nothing else takes the wake-up. One left by an earlier save is taken first.
        var signal = App.Services.GetRequiredService<OutboxWorkSignal>();
        await signal.WaitAsync(TimeSpan.Zero, Clock, CancellationToken.None);

        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            (await db.Contacts.SingleAsync(c => c.Id == contact.Id)).Rename("Customer (VIP)", Clock);
            db.Contacts.Add(Contact.Create("Another customer", [], [], Clock));
            db.OutboxMessages.Add(OutboxMessage.Create(Guid.NewGuid(), Guid.NewGuid(), "{}", Clock));
            db.ChangeTracker.DetectChanges();
            // A contact added and one updated are left to EF; the new outbox row goes ahead of them, so the save
            // commits a transaction of its own.
            Assert.False(RowsPerTable.Of(db.ChangeTracker)!.IsWholeSave);
            await db.SaveChangesAsync();
        }

        var waiting = Stopwatch.StartNew();
        await signal.WaitAsync(TimeSpan.FromSeconds(10), Clock, CancellationToken.None);
        Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(5), $"the dispatcher was woken only by its poll ({waiting.Elapsed})");
    }
}
