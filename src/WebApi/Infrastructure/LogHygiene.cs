using System.Diagnostics;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Http.Diagnostics;
using Microsoft.Extensions.Http.Logging;
using OneInbox.Application.Common;

namespace OneInbox.WebApi.Infrastructure;

/// <summary>
/// What the server writes into logs and traces, so that no token, secret or personal data reaches them at any level a
/// production runs (Information and above). Three parts: the redactor erases every value classified with
/// <see cref="DataClasses"/>; outgoing HTTP calls are logged with their path redacted (Telegram puts the bot token in
/// the path, other providers put access tokens in the query); and framework categories whose Information lines quote
/// request URLs or parameters are replaced by a request log of method, path, status and duration.
/// </summary>
public static class LogHygiene
{
    /// <summary>
    /// Categories whose Information lines quote what a request carried: the hosting diagnostics write each URL with its
    /// query (the SignalR access_token, an authorization code, a contact search for a phone number); OpenIddict writes
    /// token request parameters (the username, which is an email). Their warnings and errors still reach the log.
    /// </summary>
    public static readonly IReadOnlyList<string> QuotingCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "OpenIddict",
        "System.Net.Http.HttpClient",
    ];

    public static WebApplicationBuilder AddLogHygiene(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<ErasingRedactor>(DataClasses.Sensitive);
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });
        builder.Logging.EnableRedaction();
        foreach (var category in QuotingCategories)
            builder.Logging.AddFilter(category, level => level >= LogLevel.Warning);

        // Every HttpClient of the server: the factory's own loggers write the full request URL, so they go; the
        // extended logger writes one line per call with the host and a path whose parameters are erased, and neither
        // headers nor query parameters (none is listed in its data classes).
        services.ConfigureHttpClientDefaults(http => http
            .RemoveAllLoggers()
            .AddExtendedHttpClientLogging(options =>
            {
                options.LogRequestStart = false;
                options.LogBody = false;
                options.RequestPathLoggingMode = OutgoingPathLoggingMode.Formatted;
                options.RequestPathParameterRedactionMode = HttpRouteParameterRedactionMode.Strict;
            }));

        services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                                    | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        return builder;
    }

    /// <summary>Traces carry the provider URL too: the path (a bot token) and the query (access tokens) are dropped.</summary>
    public static void RedactUrl(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + "/" + Redacted);
    }

    public const string Redacted = "[redacted]";
}
