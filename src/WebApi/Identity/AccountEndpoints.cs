using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using OneInbox.Application.Identity;
using OneInbox.Infrastructure.Identity;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.WebApi.Identity;

/// <summary>
/// The server's own sign-in page, used by the authorization endpoint (Studio sign-in). Passwords are only
/// ever typed here, never into the Studio itself.
/// </summary>
internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription().AllowAnonymous();
        account.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            LoginPage(context, antiforgery, LocalOrDefault(returnUrl), error: null));
        account.MapPost("/login", (Delegate)SignInAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        SignInManager<OneInboxUser> signIn,
        IAuditLog audit,
        OneInboxDbContext db,
        CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
            return Results.Problem(statusCode: 415, title: "Unsupported media type.", detail: "Post the sign-in form.");
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var returnUrl = LocalOrDefault(form["returnUrl"]);
        if (!await antiforgery.IsRequestValidAsync(context))
            return LoginPage(context, antiforgery, returnUrl, "The form expired; please try again.", 400);

        var email = form["email"].ToString().Trim();
        var user = await signIn.UserManager.FindByEmailAsync(email);
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, form["password"].ToString(), isPersistent: false, lockoutOnFailure: true);
        audit.Record(result.Succeeded ? "signin.succeeded" : result.IsLockedOut ? "signin.locked_out" : "signin.failed",
            user?.Id.ToString() ?? email, "interactive", actor: user?.Id.ToString() ?? email);
        await db.SaveChangesAsync(cancellationToken);

        if (result.Succeeded)
            return Results.LocalRedirect(returnUrl);
        var message = result.IsLockedOut
            ? "Too many failed sign-ins: the account is locked for a while."
            : "The email or password is not right.";
        return LoginPage(context, antiforgery, returnUrl, message, 401);
    }

    private static string LocalOrDefault(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url[0] == '/' && url[1] is not '/' and not '\\' ? url : "/studio/";

    private static IResult LoginPage(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var errorHtml = error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sign in · OneInbox</title>
              <style>
                body { font-family: system-ui, sans-serif; background: #f4f5f7; display: grid; place-items: center; min-height: 100vh; margin: 0; }
                main { background: #fff; padding: 2rem 2.5rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); width: 22rem; }
                h1 { font-size: 1.4rem; margin-top: 0; }
                label { display: block; margin: 1rem 0 .3rem; font-weight: 600; }
                input { width: 100%; box-sizing: border-box; padding: .55rem; border: 1px solid #aab; border-radius: 4px; font-size: 1rem; }
                button { margin-top: 1.4rem; width: 100%; padding: .65rem; background: #2557d6; color: #fff; border: 0; border-radius: 4px; font-size: 1rem; cursor: pointer; }
                button:focus, input:focus { outline: 3px solid #99b4f5; }
                .error { color: #b00020; }
                footer { margin-top: 1.5rem; font-size: .8rem; color: #555; }
              </style>
            </head>
            <body>
              <main>
                <h1>Sign in to OneInbox</h1>
                {{errorHtml}}
                <form method="post" action="/account/login">
                  <input type="hidden" name="{{tokens.FormFieldName}}" value="{{tokens.RequestToken}}">
                  <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
                  <label for="email">Email</label>
                  <input id="email" name="email" type="email" autocomplete="username" required autofocus>
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">Sign in</button>
                </form>
                <footer>Only essential cookies are used. <a href="/privacy">Privacy policy</a></footer>
              </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
