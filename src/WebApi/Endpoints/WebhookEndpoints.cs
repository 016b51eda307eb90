using Mediator;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels;

namespace OneInbox.WebApi.Endpoints;

/// <summary>
/// Inbound deliveries: Telegram's webhook and the API channel's inbound endpoint. Anonymous at the HTTP level;
/// each is authenticated by its connection's secret (fail closed) and answered as soon as the payload is stored.
/// </summary>
public static class WebhookEndpoints
{
    public const string TelegramSecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/telegram/{connectionId:guid}", (Guid connectionId, HttpRequest request, ISender sender, WorkSignal signal,
                    IOptions<ChannelOptions> options, CancellationToken ct) =>
                AcceptAsync(connectionId, ChannelType.Telegram, request.Headers[TelegramSecretHeader].FirstOrDefault(), request, sender, signal, options.Value, ct))
            .AllowAnonymous()
            .ExcludeFromDescription();

        app.MapPost("/api/v1/channels/{connectionId:guid}/inbound", (Guid connectionId, HttpRequest request, ISender sender, WorkSignal signal,
                    IOptions<ChannelOptions> options, CancellationToken ct) =>
                AcceptAsync(connectionId, ChannelType.Api, BearerToken(request), request, sender, signal, options.Value, ct))
            .AllowAnonymous()
            .WithTags("Channels")
            .WithName("PostApiChannelInbound")
            .WithSummary("An integration delivers a customer's message; authenticated by the connection's bearer token.");

        return app;
    }

    private static async Task<IResult> AcceptAsync(Guid connectionId, ChannelType channel, string? secret, HttpRequest request, ISender sender,
        WorkSignal signal, ChannelOptions options, CancellationToken ct)
    {
        var body = await ReadLimitedAsync(request, options.MaxWebhookBytes, ct);
        if (body is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"Inbound payloads are limited to {options.MaxWebhookBytes} bytes.");
        var result = await sender.Send(new AcceptInbound(connectionId, channel, secret, body), ct);
        switch (result)
        {
            case InboundAcceptance.Stored:
                signal.Notify();
                return TypedResults.Ok();
            case InboundAcceptance.Duplicate:
                return TypedResults.Ok();
            case InboundAcceptance.Unreadable:
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "The payload is not one this channel understands.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "The connection or its secret is not valid.");
        }
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.FirstOrDefault();
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Reads at most max bytes; null when the body is larger, whether or not it declared its length.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max)
            return null;
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
