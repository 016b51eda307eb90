using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using OneInbox.Application.Attachments;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class AttachmentEndpoints
{
    public static RouteGroupBuilder MapAttachmentEndpoints(this RouteGroupBuilder api, long maxBytes)
    {
        var attachments = api.MapGroup("/attachments").WithTags("Attachments");

        attachments.MapPost("/", async Task<Created<AttachmentDto>> (string? fileName, HttpRequest request, ISender sender, CancellationToken ct) =>
            {
                try
                {
                    var attachment = await sender.Send(new UploadAttachment(request.Body, fileName ?? string.Empty), ct);
                    return TypedResults.Created($"/api/v1/attachments/{attachment.Id}", attachment);
                }
                catch (AttachmentTooLargeException tooLarge)
                {
                    throw new BadHttpRequestException(tooLarge.Message, StatusCodes.Status413PayloadTooLarge);
                }
            })
            .RequireAuthorization(Policies.Work)
            .WithMetadata(new RequestSizeLimitAttribute(maxBytes))
            .WithName("UploadAttachment")
            .WithSummary("Upload a file as the raw request body (?fileName=...); its type is taken from its bytes.");

        attachments.MapGet("/{attachmentId:guid}", async Task<IResult> (Guid attachmentId, HttpResponse response, ISender sender, CancellationToken ct) =>
            {
                var opened = await sender.Send(new OpenAttachment(attachmentId), ct);
                response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
                response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; sandbox";
                if (opened.MayShowInline)
                {
                    response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("inline") { FileNameStar = opened.Attachment.FileName }.ToString();
                    return TypedResults.Stream(opened.Content, opened.Attachment.ContentType);
                }
                // Active content (HTML, SVG, XML) and unknown types are only ever downloaded, never rendered.
                return TypedResults.Stream(opened.Content, opened.Attachment.ContentType, opened.Attachment.FileName);
            })
            .RequireAuthorization(Policies.Read)
            .WithName("DownloadAttachment").RecordsAccess("attachment.download")
            .WithSummary("Download an attachment; only passive media (images, audio, video, PDF) are served inline.");

        return api;
    }
}
