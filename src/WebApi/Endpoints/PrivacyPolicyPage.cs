using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace OneInbox.WebApi.Endpoints;

/// <summary>
/// The privacy policy, kept as the plain text the business wrote (Content/privacy-policy.txt, embedded) and
/// shown as a readable page: numbered lines become headings, dash lines become lists.
/// </summary>
public static partial class PrivacyPolicyPage
{
    private static readonly Lazy<string> Rendered = new(() => Render(ReadText()));

    public static string Html => Rendered.Value;

    public static string ReadText()
    {
        using var stream = typeof(PrivacyPolicyPage).Assembly.GetManifestResourceStream("OneInbox.WebApi.privacy-policy.txt")
            ?? throw new InvalidOperationException("The privacy policy is not embedded in the WebApi assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static string Render(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var body = new StringBuilder();
        var inList = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var isItem = line.StartsWith("- ", StringComparison.Ordinal);
            if (inList && !isItem)
            {
                body.Append("</ul>\n");
                inList = false;
            }

            if (isItem)
            {
                if (!inList)
                    body.Append("<ul>\n");
                inList = true;
                body.Append("<li>").Append(Encode(line[2..])).Append("</li>\n");
            }
            else if (i == 0)
                body.Append("<h1>").Append(Encode(line)).Append("</h1>\n");
            else if (SubsectionHeading().IsMatch(line))
                body.Append("<h3>").Append(Encode(line)).Append("</h3>\n");
            else if (SectionHeading().IsMatch(line))
                body.Append("<h2>").Append(Encode(line)).Append("</h2>\n");
            else
                body.Append("<p>").Append(Encode(line)).Append("</p>\n");
        }

        if (inList)
            body.Append("</ul>\n");

        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Privacy Policy · OneInbox</title>
            <style>
            body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; line-height: 1.55; color: #1d2330; max-width: 760px; margin: 32px auto; padding: 0 20px; }
            h1 { font-size: 28px; } h2 { font-size: 20px; margin-top: 28px; } h3 { font-size: 16px; }
            </style>
            </head>
            <body>
            <main>
            {{body}}</main>
            <p><a href="/studio/">Back to the Studio</a></p>
            </body>
            </html>
            """;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    // "2. Information We Collect" but not "2.1 ..." (a subsection) nor a sentence that starts with a year.
    [GeneratedRegex(@"^\d{1,2}\.\s+\p{Lu}")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^\d{1,2}\.\d{1,2}\.?\s+\p{Lu}")]
    private static partial Regex SubsectionHeading();
}
