using System.Globalization;
using System.Net;
using Mediator;
using Microsoft.Extensions.Options;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Privacy;
using OneInbox.Infrastructure.Channels;

namespace OneInbox.WebApi.Endpoints;

/// <summary>
/// Deletion for people who are not signed in: the providers' data deletion callbacks (Meta's for WhatsApp), the public
/// status page of a request (by its unguessable code) and the Data Deletion page the privacy policy links to.
/// </summary>
public static class DataDeletionEndpoints
{
    public static IEndpointRouteBuilder MapDataDeletionEndpoints(this IEndpointRouteBuilder app)
    {
        // Each channel module with a provider's deletion callback (Meta's for WhatsApp) has its route here.
        foreach (var callback in app.ServiceProvider.GetServices<IDataDeletionCallback>())
        {
            app.MapPost(callback.RoutePattern, async (Guid connectionId, HttpRequest request, ISender sender, IOptions<ChannelOptions> options, CancellationToken ct) =>
                {
                    if (request.ContentLength > options.Value.MaxWebhookBytes)
                        return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"Callbacks are limited to {options.Value.MaxWebhookBytes} bytes.");
                    var signed = request.HasFormContentType ? (await request.ReadFormAsync(ct))[callback.FormField].FirstOrDefault() : null;
                    var receipt = await sender.Send(new AcceptDataDeletionCallback(connectionId, signed), ct);
                    if (receipt is null)
                        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: $"The {callback.FormField} is not valid for this connection.");
                    var baseUrl = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? $"{request.Scheme}://{request.Host}" : options.Value.PublicBaseUrl.TrimEnd('/');
                    return Results.Json(new Dictionary<string, string>
                    {
                        ["url"] = $"{baseUrl}/privacy/deletion-status/{receipt.ConfirmationCode}",
                        ["confirmation_code"] = receipt.ConfirmationCode,
                    });
                })
                .AllowAnonymous()
                .DisableAntiforgery()
                .ExcludeFromDescription();
        }

        app.MapGet("/privacy/deletion-status/{code}", async (string code, ISender sender, CancellationToken ct) =>
            {
                var status = await sender.Send(new GetDeletionStatus(code), ct);
                return status is null
                    ? Results.Content(PublicPage.Render("Not found", "<h1>No request with this code</h1><p>Check the link you were given.</p>"), "text/html; charset=utf-8",
                        statusCode: StatusCodes.Status404NotFound)
                    : Results.Content(StatusPage(status), "text/html; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        app.MapGet("/privacy/data-deletion", () => Results.Content(DeletionPage, "text/html; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static string StatusPage(DeletionStatusDto status)
    {
        static string Date(DateTimeOffset at) => at.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var state = status.Status switch
        {
            PrivacyRequestStatus.Received => "Received: it will be carried out by the due date.",
            PrivacyRequestStatus.InProgress => "In progress.",
            PrivacyRequestStatus.Completed => "Completed.",
            _ => "Refused.",
        };
        var body = $"""
            <h1>Your {(status.Type == PrivacyRequestType.Erasure ? "data deletion" : status.Type.ToString().ToLowerInvariant())} request</h1>
            <dl>
            <dt>Status</dt><dd data-status="{status.Status.ToString().ToLowerInvariant()}">{state}</dd>
            <dt>Received</dt><dd>{Date(status.ReceivedAt)}</dd>
            <dt>Due by</dt><dd>{Date(status.DueAt)}</dd>
            {(status.ClosedAt is { } closed ? $"<dt>Closed</dt><dd>{Date(closed)}</dd>" : string.Empty)}
            {(status.Outcome is { } outcome ? $"<dt>Outcome</dt><dd>{WebUtility.HtmlEncode(outcome)}</dd>" : string.Empty)}
            {(status.RefusalLegalBasis is { } basis ? $"<dt>Legal basis of the refusal</dt><dd>{WebUtility.HtmlEncode(basis)}</dd>" : string.Empty)}
            </dl>
            <p>This page shows the state of the request and nothing about you. Keep the link to check it again.</p>
            """;
        return PublicPage.Render("Your request", body);
    }

    private static readonly string DeletionPage = PublicPage.Render("Data Deletion", """
        <h1>Data Deletion</h1>
        <p>You can have the personal data a business holds about you in OneInbox deleted: your profile, your chat app
        accounts, your messages and files, the notes about you and the record of automated decisions in your conversations.</p>
        <h2>How to ask</h2>
        <ul>
        <li><strong>In the chat</strong>: write "delete my data" to the business on WhatsApp, Telegram or Discord (where the business
        has switched this on) and confirm with the button. The request is tied to the chat account you wrote from.</li>
        <li><strong>Through Meta</strong>: removing the business's app in your Facebook or WhatsApp settings and asking for your data to
        be deleted sends the business a deletion request; you get a link to follow it.</li>
        <li><strong>By email or phone</strong>: contact the business at the address in its privacy policy, with the phone number or
        account you used to write to it.</li>
        </ul>
        <h2>What happens</h2>
        <ul>
        <li>The request is answered within 30 days (the business may promise less); you can follow it on its status page.</li>
        <li>Your data key is destroyed first: from then on nothing of yours can be read, in backups too. Then your data is deleted.</li>
        <li>You get a confirmation over the chat you used once the deletion is complete.</li>
        <li>Some data may have to be kept by law (tax records, a legal claim): then the business tells you what is kept, why, and on
        which legal basis.</li>
        </ul>
        """);
}
