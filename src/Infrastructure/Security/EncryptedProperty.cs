using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OneInbox.Application.Common;

namespace OneInbox.Infrastructure.Security;

/// <summary>
/// Marks string columns that hold ciphertext. The mark is only an annotation; the context binds the converter
/// to the installation's cipher when it builds the model, because configurations cannot reach services.
/// </summary>
public static class EncryptedProperty
{
    public const string Annotation = "OneInbox:Encrypted";

    public static PropertyBuilder<string> IsEncrypted(this PropertyBuilder<string> property) =>
        property.HasAnnotation(Annotation, true);

    /// <summary>Attaches the cipher to every marked property; without a cipher (design time) a converter that refuses to run.</summary>
    public static void ApplyEncryption(this ModelBuilder modelBuilder, IFieldCipher? cipher)
    {
        var converter = new ValueConverter<string, string>(
            plain => Encrypt(cipher, plain),
            stored => Decrypt(cipher, stored));
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetDeclaredProperties())
            {
                if (property.FindAnnotation(Annotation)?.Value is true)
                    property.SetValueConverter(converter);
            }
        }
    }

    private static string Encrypt(IFieldCipher? cipher, string plain)
    {
        var configured = cipher ?? throw new InvalidOperationException("No field cipher is configured.");
        return ContactSealing.TryGetContact(plain, out var contactId) ? configured.EncryptFor(contactId, plain) : configured.Encrypt(plain);
    }

    private static string Decrypt(IFieldCipher? cipher, string stored) =>
        (cipher ?? throw new InvalidOperationException("No field cipher is configured.")).Decrypt(stored);

    public static bool IsEncryptedProperty(this IReadOnlyProperty property) => property.FindAnnotation(Annotation)?.Value is true;
}
