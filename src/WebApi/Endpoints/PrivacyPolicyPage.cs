using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using OneInbox.Application.Identity;

namespace OneInbox.WebApi.Endpoints;

/// <summary>
/// The privacy policy, kept as the plain text the business wrote (Content/privacy-policy.txt, embedded) and
/// shown as a readable page: numbered lines become headings, dash lines become lists.
/// </summary>
public static partial class PrivacyPolicyPage
{
    private static string? _rendered;

    /// <summary>The page, with the version members accept and its date under the title.</summary>
    public static string Html(IPrivacyPolicyTerms terms) =>
        _rendered ??= Render(ReadText(), terms.Current);

    public static string ReadText()
    {
        using var stream = typeof(PrivacyPolicyPage).Assembly.GetManifestResourceStream("OneInbox.WebApi.privacy-policy.txt")
            ?? throw new InvalidOperationException("The privacy policy is not embedded in the WebApi assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static string Render(string text, PolicyVersionDto? version = null)
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
            {
                body.Append("<h1>").Append(Encode(line)).Append("</h1>\n");
                if (version is not null)
                    body.Append("<p class=\"version\">Version ").Append(version.Version).Append(", in force since ")
                        .Append(version.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)).Append("</p>\n");
            }
            else if (SubsectionHeading().IsMatch(line))
                body.Append("<h3>").Append(Encode(line)).Append("</h3>\n");
            else if (SectionHeading().IsMatch(line))
                body.Append("<h2>").Append(Encode(line)).Append("</h2>\n");
            else
                body.Append("<p>").Append(LinkDeletionPage(Encode(line))).Append("</p>\n");
        }

        if (inList)
            body.Append("</ul>\n");

        return PublicPage.Render("Privacy Policy", body.ToString());
    }

    /// <summary>The policy's "Data Deletion page" is a link to it.</summary>
    private static string LinkDeletionPage(string encoded) =>
        encoded.Replace("Data Deletion page", "<a href=\"/privacy/data-deletion\">Data Deletion page</a>", StringComparison.Ordinal);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    // "2. Information We Collect" but not "2.1 ..." (a subsection) nor a sentence that starts with a year.
    [GeneratedRegex(@"^\d{1,2}\.\s+\p{Lu}")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^\d{1,2}\.\d{1,2}\.?\s+\p{Lu}")]
    private static partial Regex SubsectionHeading();
}
