using OneInbox.Application.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.FileProviders;

namespace OneInbox.WebApi.Endpoints;

/// <summary>
/// The Studio's built files at /studio (every client-side route answered with index.html) and the privacy
/// policy the Studio's footer links to.
/// </summary>
public static class StudioEndpoints
{
    public const string BasePath = "/studio";

    // React Flow positions with inline styles, hence 'unsafe-inline' for styles only; scripts come from us alone.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static WebApplication MapStudio(this WebApplication app)
    {
        var root = Path.GetFullPath(app.Configuration.GetValue("OneInbox:StudioPath", "wwwroot/studio")!, app.Environment.ContentRootPath);

        if (Directory.Exists(root))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = BasePath,
                FileProvider = new PhysicalFileProvider(root),
                OnPrepareResponse = context =>
                {
                    var headers = context.Context.Response.Headers;
                    // Vite puts a content hash in every asset name, so assets never change under a name.
                    headers.CacheControl = context.Context.Request.Path.StartsWithSegments($"{BasePath}/assets")
                        ? "public, max-age=31536000, immutable"
                        : "no-cache";
                    headers.XContentTypeOptions = "nosniff";
                },
            });
        }

        // Paths without a file extension are the Studio's own routes (/studio/flows/42): the app decides what they show.
        app.MapGet($"{BasePath}/{{**path:nonfile}}", (HttpContext context) => ServeIndex(context, root))
            .AllowAnonymous()
            .ExcludeFromDescription();

        app.MapGet("/privacy", (HttpContext context, IPrivacyPolicyTerms terms) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.Content(PrivacyPolicyPage.Html(terms), "text/html; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        return app;
    }

    private static IResult ServeIndex(HttpContext context, string root)
    {
        var index = Path.Combine(root, "index.html");
        if (!File.Exists(index))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The Studio has not been built.",
                detail: "Build the WebApi without SkipStudioBuild (it runs npm ci and npm run build in src/Studio), then reload.");
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.File(index, "text/html; charset=utf-8");
    }
}
