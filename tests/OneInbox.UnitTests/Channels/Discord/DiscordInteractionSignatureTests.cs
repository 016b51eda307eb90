using System.Text;
using OneInbox.Infrastructure.Channels.Discord;

namespace OneInbox.UnitTests.Channels.Discord;

/// <summary>The Ed25519 vectors of channels.md §3.8 and what must fail.</summary>
public class DiscordInteractionSignatureTests
{
    private const string PublicKey = "42df30dee7d27db0b9f02b2584c436e2a97a3d57dd6e2d1f6de5acd970a97b80";
    private const string PingBody = """{"application_id":"1300000000000000001","id":"1300000000000000002","token":"fake-interaction-token","type":1,"version":1}""";
    private const string PingSignature = "d9d8521815137cf7ca1098ee70d5ffa84372a1f010f1a625111f13892b7abaabd98b0f73d054aa60c5b60f824830b393f857611c2fd924892f3e0b67a0624106";
    private const string ClickBody = """{"application_id":"1300000000000000001","channel_id":"1300000000000000010","data":{"component_type":2,"custom_id":"menu:agent"},"id":"1300000000000000020","token":"fake-interaction-token-2","type":3,"user":{"id":"1300000000000000003","username":"maria.l","discriminator":"0","global_name":"Maria","avatar":null},"version":1}""";
    private const string ClickSignature = "5ab6691ab9dedff9ebb7bc744ca30019bf7c500dc80dfe221c07fcd251db2d8c9d562174966a069707f5be0948b26b3b32b0b1bb7c71e3790b3ae6c475190803";

    private static DateTimeOffset At(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    [Fact]
    public void Both_vectors_verify()
    {
        Assert.Equal(121, Encoding.UTF8.GetByteCount(PingBody));
        Assert.Equal(324, Encoding.UTF8.GetByteCount(ClickBody));
        Assert.True(DiscordInteractionSignature.Verify(PublicKey, "1767225600", PingSignature, Encoding.UTF8.GetBytes(PingBody), At(1767225600)));
        Assert.True(DiscordInteractionSignature.Verify(PublicKey, "1767225700", ClickSignature, Encoding.UTF8.GetBytes(ClickBody), At(1767225700)));
    }

    [Fact]
    public void A_changed_timestamp_fails()
    {
        Assert.False(DiscordInteractionSignature.Verify(PublicKey, "1767225601", PingSignature, Encoding.UTF8.GetBytes(PingBody), At(1767225600)));
    }

    [Fact]
    public void A_tampered_body_fails()
    {
        var tampered = ClickBody.Replace("menu:agent", "menu:admin", StringComparison.Ordinal);
        Assert.False(DiscordInteractionSignature.Verify(PublicKey, "1767225700", ClickSignature, Encoding.UTF8.GetBytes(tampered), At(1767225700)));
    }

    [Theory]
    [InlineData("5bb6691ab9dedff9ebb7bc744ca30019bf7c500dc80dfe221c07fcd251db2d8c9d562174966a069707f5be0948b26b3b32b0b1bb7c71e3790b3ae6c475190803")]
    [InlineData("5ab6691ab9dedff9")]
    [InlineData("zz" + "b6691ab9dedff9ebb7bc744ca30019bf7c500dc80dfe221c07fcd251db2d8c9d562174966a069707f5be0948b26b3b32b0b1bb7c71e3790b3ae6c475190803")]
    [InlineData("")]
    [InlineData(null)]
    public void A_tampered_short_malformed_or_missing_signature_fails(string? signature)
    {
        Assert.False(DiscordInteractionSignature.Verify(PublicKey, "1767225700", signature, Encoding.UTF8.GetBytes(ClickBody), At(1767225700)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-number")]
    [InlineData("-1767225700")]
    public void A_missing_or_malformed_timestamp_fails(string? timestamp)
    {
        Assert.False(DiscordInteractionSignature.Verify(PublicKey, timestamp, ClickSignature, Encoding.UTF8.GetBytes(ClickBody), At(1767225700)));
    }

    [Fact]
    public void A_correctly_signed_request_older_than_five_minutes_is_refused_as_a_replay()
    {
        Assert.True(DiscordInteractionSignature.Verify(PublicKey, "1767225700", ClickSignature, Encoding.UTF8.GetBytes(ClickBody), At(1767225700 + 299)));
        Assert.False(DiscordInteractionSignature.Verify(PublicKey, "1767225700", ClickSignature, Encoding.UTF8.GetBytes(ClickBody), At(1767225700 + 301)));
    }

    [Fact]
    public void Another_applications_key_fails()
    {
        var other = "11" + PublicKey[2..];
        Assert.False(DiscordInteractionSignature.Verify(other, "1767225600", PingSignature, Encoding.UTF8.GetBytes(PingBody), At(1767225600)));
    }

    [Fact]
    public void The_fake_signs_exactly_like_the_vectors()
    {
        Assert.Equal(ClickSignature, OneInbox.TestFakes.FakeDiscord.Sign("1767225700", ClickBody));
    }
}
