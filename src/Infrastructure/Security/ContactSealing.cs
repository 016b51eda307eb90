using System.Runtime.CompilerServices;

namespace OneInbox.Infrastructure.Security;

/// <summary>
/// Tells the encrypted-column converter which contact's key seals a value. A value converter sees only the
/// string, never its row, so the save marks the very string instance it is about to write (a private copy, so
/// that one text shared by several rows, such as a flow's reply to many customers, is never claimed by two
/// contacts) and the converter looks that instance up. The table holds its keys weakly and compares by
/// reference: nothing outlives the strings, and no equal text from elsewhere is mistaken for a marked one.
/// </summary>
public static class ContactSealing
{
    private static readonly ConditionalWeakTable<string, StrongBox<Guid>> Marks = new();

    /// <summary>A copy of the value that the converter will seal under the contact's key.</summary>
    public static string Mark(string value, Guid contactId)
    {
        var copy = new string(value.AsSpan());
        Marks.AddOrUpdate(copy, new StrongBox<Guid>(contactId));
        return copy;
    }

    public static bool TryGetContact(string value, out Guid contactId)
    {
        if (Marks.TryGetValue(value, out var box))
        {
            contactId = box.Value;
            return true;
        }
        contactId = Guid.Empty;
        return false;
    }
}
