using Mediator;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels;
using OneInbox.Infrastructure.Channels.Inbound;

namespace OneInbox.WebApi.Endpoints;

/// <summary>
/// Inbound deliveries, one route per channel module (Telegram's webhook, the API channel's inbound endpoint, ...).
/// Anonymous at the HTTP level; each is authenticated by its channel's receiver on the raw bytes (fail closed) and
/// answered as soon as what it carries is stored (later while the inbound backlog is full: <see cref="InboundBacklog"/>).
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var receiver in app.ServiceProvider.GetServices<IInboundReceiver>())
        {
            var channel = receiver.Channel;
            var post = app.MapPost(receiver.Route.Pattern, (Guid connectionId, HttpRequest request, ISender sender, WorkSignal signal,
                        InboundBacklog backlog, IOptions<ChannelOptions> options, CancellationToken ct) =>
                    AcceptAsync(connectionId, receiver, request, sender, signal, backlog, options.Value, ct))
                .AllowAnonymous();
            if (receiver.Route.OperationName is { } name)
                post.WithTags("Channels").WithName(name).WithSummary(receiver.Route.Summary ?? name);
            else
                post.ExcludeFromDescription();

            if (!receiver.Route.Handshake)
                continue;
            app.MapGet(receiver.Route.Pattern, (Guid connectionId, HttpRequest request, ISender sender, CancellationToken ct) =>
                    HandshakeAsync(connectionId, channel, request, sender, ct))
                .AllowAnonymous()
                .ExcludeFromDescription();
        }
        return app;
    }

    private static async Task<IResult> AcceptAsync(Guid connectionId, IInboundReceiver receiver, HttpRequest request, ISender sender,
        WorkSignal signal, InboundBacklog backlog, ChannelOptions options, CancellationToken ct)
    {
        var channel = receiver.Channel;
        var body = await ReadLimitedAsync(request, options.MaxWebhookBytes, ct);
        if (body is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"Inbound payloads are limited to {options.MaxWebhookBytes} bytes.");
        var headers = request.Headers;
        var result = await sender.Send(new AcceptInbound(connectionId, channel, new InboundRequest(body, name => headers[name].FirstOrDefault())), ct);
        switch (result)
        {
            case InboundAcceptance.Stored:
                signal.Notify();
                await backlog.WaitForRoomAsync(1, ct);
                return Acknowledge(receiver, body);
            case InboundAcceptance.Duplicate:
                return Acknowledge(receiver, body);
            case InboundAcceptance.Unreadable:
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "The payload is not one this channel understands.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "The connection or its secret is not valid.");
        }
    }

    private static IResult Acknowledge(IInboundReceiver receiver, byte[] body) =>
        receiver.Reply(body) is { } json ? TypedResults.Text(json, "application/json") : TypedResults.Ok();

    /// <summary>A provider's check of the webhook URL (WhatsApp's hub.challenge); 403 for anything it does not prove.</summary>
    private static async Task<IResult> HandshakeAsync(Guid connectionId, ChannelType channel, HttpRequest request, ISender sender, CancellationToken ct)
    {
        var query = request.Query;
        var answer = await sender.Send(new AnswerWebhookHandshake(connectionId, channel, name => query[name].FirstOrDefault()), ct);
        return answer is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "The verification request does not match this connection.")
            : TypedResults.Text(answer, "text/plain");
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
