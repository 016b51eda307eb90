using System.Security.Cryptography;
using FluentValidation;

namespace OneInbox.Application.Channels;

public static class ChannelRules
{
    public const int MaxUrlLength = 2000;

    internal static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxUrlLength)
            .Must(url => url is null || IsHttpUrl(url))
            .WithMessage(HttpUrlMessage);

    public const string HttpUrlMessage = "Must be an absolute http or https URL without user information.";

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>
    /// Telegram's secret_token allows only A-Z a-z 0-9 _ -, up to 256 characters; 43 base64url characters carry 256 bits.
    /// </summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
