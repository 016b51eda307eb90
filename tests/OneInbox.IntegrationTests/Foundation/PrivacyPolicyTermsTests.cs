using OneInbox.Application.Identity;
using OneInbox.WebApi.Identity;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>The policy's version is its Last Updated date, and a new version cannot ship without saying what changed.</summary>
public class PrivacyPolicyTermsTests
{
    private const string Changes = """
        # comment
        2026-09-01
        - Discord joins the channels.
        - Exports are kept 7 days.
        2026-02-12
        - First published version.
        """;

    [Fact]
    public void The_current_version_is_the_policy_date_and_a_member_sees_what_changed_since_the_version_they_accepted()
    {
        var terms = new PrivacyPolicyTerms("Privacy Policy\nLast Updated: September 1, 2026\n1. Introduction", Changes);

        Assert.Equal("2026-09-01", terms.Current.Version);
        Assert.Equal(new DateOnly(2026, 9, 1), terms.Current.Date);
        Assert.Equal(["Discord joins the channels.", "Exports are kept 7 days."], terms.Current.Changes);
        Assert.Equal(["2026-09-01"], terms.Since("2026-02-12").Select(v => v.Version));
        Assert.Equal(["2026-09-01", "2026-02-12"], terms.Since(null).Select(v => v.Version));
        Assert.Empty(terms.Since("2026-09-01"));
    }

    [Fact]
    public void A_policy_whose_date_has_no_entry_in_the_history_stops_the_server()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => new PrivacyPolicyTerms("Last Updated: October 3, 2026", Changes));
        Assert.Contains("2026-10-03", missing.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new PrivacyPolicyTerms("Last Updated: February 12, 2026", Changes));
    }

    [Fact]
    public void The_shipped_policy_has_a_version_and_its_changes()
    {
        var terms = new PrivacyPolicyTerms();

        Assert.Equal("2026-02-12", terms.Current.Version);
        Assert.NotEmpty(terms.Current.Changes);
    }
}
