using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace OneInbox.WebApi.Infrastructure;

/// <summary>
/// Refuses a declared body over the limit before anything reads it (413), and hands the limit to the
/// server for bodies of unknown length. Endpoints that take larger bodies (attachments) raise it themselves.
/// </summary>
internal static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long maxBytes) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? maxBytes;
            if (context.Request.ContentLength > limit)
                throw new BadHttpRequestException($"The request body is larger than the {limit} bytes this endpoint accepts.", StatusCodes.Status413PayloadTooLarge);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
            await next(context);
        });
}
