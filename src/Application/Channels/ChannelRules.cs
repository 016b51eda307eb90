using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FluentValidation;

namespace OneInbox.Application.Channels;

internal static partial class ChannelRules
{
    public const int MaxUrlLength = 2000;

    /// <summary>Telegram's own shape, <c>&lt;bot id&gt;:&lt;secret&gt;</c>; the client library refuses anything else.</summary>
    [GeneratedRegex(@"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")]
    public static partial Regex TelegramToken();

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxUrlLength)
            .Must(url => url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo)))
            .WithMessage("Must be an absolute http or https URL without user information.");

    /// <summary>
    /// Telegram's secret_token allows only A-Z a-z 0-9 _ -, up to 256 characters; 43 base64url characters carry 256 bits.
    /// </summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
