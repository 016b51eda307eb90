using System.Globalization;
using System.Text;
using OneInbox.Application.Identity;
using OneInbox.WebApi.Endpoints;

namespace OneInbox.WebApi.Identity;

/// <summary>
/// The policy's version is the date on its "Last Updated" line; what each version changed comes from
/// Content/privacy-policy-changes.txt. Both are embedded, so the version members accept is the text they can read.
/// </summary>
internal sealed class PrivacyPolicyTerms : IPrivacyPolicyTerms
{
    private const string LastUpdated = "Last Updated:";

    public PrivacyPolicyTerms()
        : this(PrivacyPolicyPage.ReadText(), ReadChanges())
    {
    }

    internal PrivacyPolicyTerms(string policy, string changes)
    {
        History = ParseChanges(changes);
        var date = DateOfPolicy(policy);
        Current = History.FirstOrDefault(v => v.Date == date)
                  ?? throw new InvalidOperationException($"The privacy policy of {date:yyyy-MM-dd} has no entry in privacy-policy-changes.txt: say what it changed.");
        if (History[0] != Current)
            throw new InvalidOperationException("privacy-policy-changes.txt lists a version newer than the policy's Last Updated date.");
    }

    public PolicyVersionDto Current { get; }

    public IReadOnlyList<PolicyVersionDto> History { get; }

    private static DateOnly DateOfPolicy(string policy)
    {
        var line = policy.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim())
                       .FirstOrDefault(l => l.StartsWith(LastUpdated, StringComparison.OrdinalIgnoreCase))
                   ?? throw new InvalidOperationException("The privacy policy has no \"Last Updated:\" line.");
        return DateOnly.ParseExact(line[LastUpdated.Length..].Trim(), ["MMMM d, yyyy", "MMMM dd, yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture);
    }

    private static List<PolicyVersionDto> ParseChanges(string text)
    {
        var versions = new List<PolicyVersionDto>();
        DateOnly? date = null;
        var changes = new List<string>();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                changes.Add(line[2..]);
                continue;
            }
            Flush();
            date = DateOnly.ParseExact(line, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        Flush();
        return [.. versions.OrderByDescending(v => v.Date)];

        void Flush()
        {
            if (date is { } d)
                versions.Add(new PolicyVersionDto(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d, [.. changes]));
            changes.Clear();
        }
    }

    private static string ReadChanges()
    {
        using var stream = typeof(PrivacyPolicyTerms).Assembly.GetManifestResourceStream("OneInbox.WebApi.privacy-policy-changes.txt")
                           ?? throw new InvalidOperationException("The privacy policy's change history is not embedded in the WebApi assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
