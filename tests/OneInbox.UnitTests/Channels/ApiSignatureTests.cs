using System.Security.Cryptography;
using System.Text;
using OneInbox.Infrastructure.Channels.Api;

namespace OneInbox.UnitTests.Channels;

public sealed class ApiSignatureTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1767225600);

    [Fact]
    public void The_signature_is_the_documented_HMAC_of_timestamp_dot_body()
    {
        var body = """{"event":"message","text":"Hi"}"""u8.ToArray();

        var signature = ApiSignature.Sign("secret", 1767225600, body);

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData("secret"u8, Encoding.UTF8.GetBytes("1767225600." + Encoding.UTF8.GetString(body))));
        Assert.Equal("v1=" + expected, signature);
    }

    [Fact]
    public void A_receiver_accepts_a_fresh_signature_and_refuses_a_changed_body_or_an_old_timestamp()
    {
        var body = "{\"text\":\"Hi\"}"u8.ToArray();
        var signature = ApiSignature.Sign("secret", Now.ToUnixTimeSeconds(), body);
        var tolerance = TimeSpan.FromMinutes(5);

        Assert.True(ApiSignature.Verify("secret", "1767225600", signature, body, Now, tolerance));
        Assert.False(ApiSignature.Verify("secret", "1767225600", signature, "{\"text\":\"Ho\"}"u8, Now, tolerance));
        Assert.False(ApiSignature.Verify("other", "1767225600", signature, body, Now, tolerance));
        Assert.False(ApiSignature.Verify("secret", "1767225600", signature, body, Now.AddMinutes(10), tolerance));
    }
}
