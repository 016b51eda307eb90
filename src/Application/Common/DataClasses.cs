using Microsoft.Extensions.Compliance.Classification;

namespace OneInbox.Application.Common;

/// <summary>
/// OneInbox's data classification taxonomy. Log parameters, HTTP client headers and route values marked with one of
/// these classes are erased by the host's redactor before a log line is written (see docs/privacy.md, "Logs").
/// </summary>
public static class DataClasses
{
    public const string TaxonomyName = "OneInbox";

    /// <summary>Tokens, secrets, passwords, signing keys: never leave the process.</summary>
    public static DataClassification Secret { get; } = new(TaxonomyName, nameof(Secret));

    /// <summary>Names, phone numbers, emails, provider user ids, IP addresses of people.</summary>
    public static DataClassification PersonalData { get; } = new(TaxonomyName, nameof(PersonalData));

    /// <summary>What a customer or agent wrote, and the files they sent.</summary>
    public static DataClassification MessageContent { get; } = new(TaxonomyName, nameof(MessageContent));

    /// <summary>Everything the redactor erases.</summary>
    public static DataClassificationSet Sensitive { get; } = new(Secret, PersonalData, MessageContent);
}

/// <summary>A token, secret or password.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = true)]
public sealed class SecretAttribute() : DataClassificationAttribute(DataClasses.Secret);

/// <summary>Data that identifies a person.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = true)]
public sealed class PersonalDataAttribute() : DataClassificationAttribute(DataClasses.PersonalData);

/// <summary>The content of a message or file.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = true)]
public sealed class MessageContentAttribute() : DataClassificationAttribute(DataClasses.MessageContent);
