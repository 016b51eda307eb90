using System.Text.RegularExpressions;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.CannedResponses;

/// <summary>
/// A prepared answer agents insert by short code ("/shipping"). The text may hold Liquid placeholders such
/// as {{ contact.name }}, filled in for the conversation at hand.
/// </summary>
public sealed partial class CannedResponse : TenantEntity
{
    public const int MaxShortCodeLength = 50;
    public const int MaxTextLength = 4000;

    private CannedResponse(string shortCode, string text, DateTimeOffset createdAt)
    {
        ShortCode = shortCode;
        Text = text;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    /// <summary>Lower case letters, digits, dashes and underscores; unique in the workspace.</summary>
    public string ShortCode { get; private set; }

    /// <summary>The Liquid template; checked to parse before it is stored.</summary>
    public string Text { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static CannedResponse Create(string shortCode, string text, TimeProvider clock) =>
        new(CheckedCode(shortCode), CheckedText(text), clock.GetUtcNow());

    public void Change(string shortCode, string text, TimeProvider clock)
    {
        ShortCode = CheckedCode(shortCode);
        Text = CheckedText(text);
        UpdatedAt = clock.GetUtcNow();
    }

    private static string CheckedCode(string shortCode)
    {
        var code = shortCode.Trim().ToLowerInvariant();
        if (!Code().IsMatch(code))
            throw new DomainException("cannedResponse.shortCode", $"A short code has 1 to {MaxShortCodeLength} letters, digits, dashes or underscores.");
        return code;
    }

    private static string CheckedText(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
            throw new DomainException("cannedResponse.text", $"A canned response has 1 to {MaxTextLength} characters.");
        return text;
    }

    [GeneratedRegex("^[a-z0-9_-]{1,50}$")]
    private static partial Regex Code();
}
