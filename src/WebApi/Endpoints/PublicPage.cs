namespace OneInbox.WebApi.Endpoints;

/// <summary>The look of the public pages (the privacy policy, the data deletion page, a deletion's status): plain, readable, no script.</summary>
public static class PublicPage
{
    public static string Render(string title, string body) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{System.Net.WebUtility.HtmlEncode(title)}} · OneInbox</title>
        <style>
        body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; line-height: 1.55; color: #1d2330; max-width: 760px; margin: 32px auto; padding: 0 20px; }
        h1 { font-size: 28px; } h2 { font-size: 20px; margin-top: 28px; } h3 { font-size: 16px; }
        dt { font-weight: 600; } dd { margin: 0 0 8px; }
        </style>
        </head>
        <body>
        <main>
        {{body}}</main>
        <p><a href="/privacy">Privacy policy</a> · <a href="/studio/">OneInbox Studio</a></p>
        </body>
        </html>
        """;
}
