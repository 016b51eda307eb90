using System.Globalization;
using OneInbox.Application.Channels;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

/// <summary>Meta's error codes to what the outbox does and the reason a failed message shows (Meta: build on the code, not the title).</summary>
internal static class WhatsAppErrors
{
    public const int TokenInvalid = 190;
    public const int WindowClosed = 131047;
    public const int Throughput = 130429;
    public const int PairRate = 131056;

    public static SendOutcome Classify(GraphError? error, int httpStatus, TimeSpan? retryAfter)
    {
        var code = error?.Code ?? 0;
        return code switch
        {
            TokenInvalid => new SendOutcome.Held("token_expired", "The access token was refused (190): rotate it; the message waits until then."),
            Throughput => new SendOutcome.RateLimited(retryAfter ?? TimeSpan.FromSeconds(5)),
            PairRate => new SendOutcome.RateLimited(retryAfter ?? TimeSpan.FromSeconds(10)),
            4 or 80007 or 613 => new SendOutcome.RateLimited(retryAfter ?? TimeSpan.FromSeconds(60)),
            WindowClosed => new SendOutcome.Failed("window_closed", "More than 24 hours since the customer last wrote: only a template may be sent (131047)."),
            131026 => new SendOutcome.Failed("undeliverable", "WhatsApp cannot deliver to this number (131026)."),
            131051 => new SendOutcome.Failed("unsupported_type", "WhatsApp does not support this message type (131051)."),
            131048 => new SendOutcome.Failed("spam_rate_limit", "Too many messages from this number were blocked or flagged (131048)."),
            131049 => new SendOutcome.Failed("marketing_declined", "Meta declined to deliver this marketing message for now (131049)."),
            131052 or 131053 => new SendOutcome.Failed("media_error", $"WhatsApp could not handle the media ({code})."),
            132000 or 132001 or 132005 or 132007 or 132012 => new SendOutcome.Failed("template_error", $"The template call does not match an approved template ({code})."),
            100 => new SendOutcome.Failed("invalid_parameter", "WhatsApp refused a parameter of the message (100)."),
            1 or 2 or 131000 or 131016 => new SendOutcome.Transient($"whatsapp {code}"),
            _ when httpStatus >= 500 || httpStatus == 429 => new SendOutcome.Transient($"whatsapp http {httpStatus}"),
            _ => new SendOutcome.Failed("rejected", $"WhatsApp refused the message (code {code.ToString(CultureInfo.InvariantCulture)})."),
        };
    }

    /// <summary>A failed status's reason: the stable code where we know it, with Meta's code and title.</summary>
    public static string Reason(int code, string? title) =>
        (Classify(new GraphError(code, null, null), 400, null) is SendOutcome.Failed failed ? failed.ReasonCode : "failed")
        + $" ({code.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(title) ? "" : " " + title)})";
}
