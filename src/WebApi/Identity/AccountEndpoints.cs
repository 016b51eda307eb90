using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
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
        account.MapGet("/policy", (Delegate)PolicyPageAsync);
        account.MapPost("/policy", (Delegate)AcceptPolicyAsync).DisableAntiforgery();
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
        return Page("Sign in", $$"""
                <h1>Sign in to OneInbox</h1>
                {{ErrorHtml(error)}}
                <form method="post" action="/account/login">
                  <input type="hidden" name="{{tokens.FormFieldName}}" value="{{tokens.RequestToken}}">
                  <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
                  <label for="email">Email</label>
                  <input id="email" name="email" type="email" autocomplete="username" required autofocus>
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">Sign in</button>
                </form>
            """, status);
    }

    /// <summary>
    /// Asked at sign-in when the privacy policy changed since the person accepted it: what changed, a link to the
    /// whole text, and acceptance (recorded with the time). The Studio gets no token before it.
    /// </summary>
    private static async Task<IResult> PolicyPageAsync(HttpContext context, IAntiforgery antiforgery, UserManager<OneInboxUser> users,
        IPrivacyPolicyTerms terms, string? returnUrl)
    {
        var user = await CookieUserAsync(context, users);
        if (user is null)
            return Results.Redirect("/account/login?returnUrl=" + Uri.EscapeDataString(LocalOrDefault(returnUrl)));
        return PolicyPage(context, antiforgery, terms, user, LocalOrDefault(returnUrl), error: null);
    }

    private static async Task<IResult> AcceptPolicyAsync(HttpContext context, IAntiforgery antiforgery, UserManager<OneInboxUser> users,
        IPrivacyPolicyTerms terms, PolicyAcceptance acceptance, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
            return Results.Problem(statusCode: 415, title: "Unsupported media type.", detail: "Post the policy form.");
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var returnUrl = LocalOrDefault(form["returnUrl"]);
        var user = await CookieUserAsync(context, users);
        if (user is null)
            return Results.Redirect("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        if (!await antiforgery.IsRequestValidAsync(context))
            return PolicyPage(context, antiforgery, terms, user, returnUrl, "The form expired; please try again.", 400);
        if (form["accept"] != "yes" || form["version"] != terms.Current.Version)
            return PolicyPage(context, antiforgery, terms, user, returnUrl, "Tick the box to accept the privacy policy, or sign out.", 422);
        await acceptance.AcceptAsync(user.Id, terms.Current.Version, cancellationToken);
        return Results.LocalRedirect(returnUrl);
    }

    private static IResult PolicyPage(HttpContext context, IAntiforgery antiforgery, IPrivacyPolicyTerms terms, OneInboxUser user, string returnUrl,
        string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var changes = new StringBuilder();
        foreach (var version in terms.Since(user.AcceptedPolicyVersion))
        {
            changes.Append("<h2>Version ").Append(version.Version).Append("</h2><ul>");
            foreach (var change in version.Changes)
                changes.Append("<li>").Append(WebUtility.HtmlEncode(change)).Append("</li>");
            changes.Append("</ul>");
        }
        var intro = user.AcceptedPolicyVersion is null
            ? "Before you go on, please read and accept OneInbox's privacy policy."
            : $"Our privacy policy changed since you accepted version {WebUtility.HtmlEncode(user.AcceptedPolicyVersion)}. This is what changed:";
        return Page("Privacy policy", $$"""
                <h1>Privacy policy, version {{terms.Current.Version}}</h1>
                {{ErrorHtml(error)}}
                <p>{{intro}}</p>
                {{changes}}
                <p><a href="/privacy" target="_blank" rel="noopener">Read the whole privacy policy</a> (in force since {{terms.Current.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}}).</p>
                <form method="post" action="/account/policy">
                  <input type="hidden" name="{{tokens.FormFieldName}}" value="{{tokens.RequestToken}}">
                  <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
                  <input type="hidden" name="version" value="{{terms.Current.Version}}">
                  <label class="check"><input type="checkbox" name="accept" value="yes" required> I have read and accept the privacy policy.</label>
                  <button type="submit">Accept and continue</button>
                </form>
            """, status);
    }

    private static async Task<OneInboxUser?> CookieUserAsync(HttpContext context, UserManager<OneInboxUser> users)
    {
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return cookie.Succeeded ? await users.GetUserAsync(cookie.Principal!) : null;
    }

    private static string ErrorHtml(string? error) =>
        error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";

    private static IResult Page(string title, string main, int status)
    {
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{title}} · OneInbox</title>
              <style>
                body { font-family: system-ui, sans-serif; background: #f4f5f7; display: grid; place-items: center; min-height: 100vh; margin: 0; }
                main { background: #fff; padding: 2rem 2.5rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); width: 22rem; }
                h1 { font-size: 1.4rem; margin-top: 0; }
                h2 { font-size: 1.05rem; }
                label { display: block; margin: 1rem 0 .3rem; font-weight: 600; }
                label.check { font-weight: normal; }
                label.check input { width: auto; }
                input { width: 100%; box-sizing: border-box; padding: .55rem; border: 1px solid #aab; border-radius: 4px; font-size: 1rem; }
                button { margin-top: 1.4rem; width: 100%; padding: .65rem; background: #2557d6; color: #fff; border: 0; border-radius: 4px; font-size: 1rem; cursor: pointer; }
                button:focus, input:focus { outline: 3px solid #99b4f5; }
                .error { color: #b00020; }
                footer { margin-top: 1.5rem; font-size: .8rem; color: #555; }
              </style>
            </head>
            <body>
              <main>
            {{main}}
                <footer>Only essential cookies are used. <a href="/privacy">Privacy policy</a></footer>
              </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
