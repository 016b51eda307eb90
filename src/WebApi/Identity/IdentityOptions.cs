namespace OneInbox.WebApi.Identity;

/// <summary>Configuration section "OneInbox:Identity".</summary>
public sealed class OneInboxIdentityOptions
{
    public const string Section = "OneInbox:Identity";

    public int AccessTokenMinutes { get; set; } = 15;

    public int RefreshTokenDays { get; set; } = 14;

    /// <summary>Redirect URIs of the Studio's public client; the local default serves the embedded setup.</summary>
    public string[] StudioRedirectUris { get; set; } = ["http://localhost:5080/studio/callback"];

    public string[] StudioPostLogoutRedirectUris { get; set; } = ["http://localhost:5080/studio/"];

    /// <summary>PEM files of the token signing and encryption keys; empty: made once in the data folder.</summary>
    public string? SigningKeyPath { get; set; }

    public string? EncryptionKeyPath { get; set; }

    /// <summary>The issuer URL tokens carry; empty: the URL the server is called at.</summary>
    public string? Issuer { get; set; }

    /// <summary>Lets anyone create an account with a workspace of their own (POST /api/v1/signup).</summary>
    public bool AllowSelfSignup { get; set; }

    public int TokenRequestsPerMinutePerIp { get; set; } = 30;

    public int TokenRequestsPerMinutePerUser { get; set; } = 10;

    public int ApiRequestsPerMinutePerWorkspace { get; set; } = 6000;
}

/// <summary>Configuration section "OneInbox:Bootstrap": the first platform admin and workspace.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "OneInbox:Bootstrap";

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    public string? Workspace { get; set; }
}
