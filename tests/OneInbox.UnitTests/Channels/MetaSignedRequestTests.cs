using OneInbox.Infrastructure.Channels.WhatsApp;

namespace OneInbox.UnitTests.Channels;

public class MetaSignedRequestTests
{
    private const string Secret = "app-secret-123";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static string Signed(string json) => MetaSignedRequest.Sign(json, Secret);

    [Fact]
    public void A_request_signed_with_the_app_secret_gives_its_user_id()
    {
        var check = MetaSignedRequest.Check(Signed($$"""{"algorithm":"HMAC-SHA256","user_id":"218471","issued_at":{{Now.AddMinutes(-5).ToUnixTimeSeconds()}}}"""), Secret, Now, out var user);
        Assert.Equal((SignedRequestCheck.Valid, "218471"), (check, user));
        MetaSignedRequest.Check(Signed($$"""{"algorithm":"HMAC-SHA256","user_id":218471,"issued_at":{{Now.ToUnixTimeSeconds()}}}"""), Secret, Now, out user);
        Assert.Equal("218471", user);
    }

    [Theory]
    [InlineData("", SignedRequestCheck.Malformed)]
    [InlineData("abc", SignedRequestCheck.Malformed)]
    [InlineData("a.b.c", SignedRequestCheck.Malformed)]
    [InlineData(".eyJ9", SignedRequestCheck.Malformed)]
    [InlineData("!!!.eyJ9", SignedRequestCheck.Malformed)]
    [InlineData("c2ln.eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiJ9", SignedRequestCheck.BadSignature)]
    public void Anything_not_exactly_right_fails_closed(string signedRequest, SignedRequestCheck expected)
    {
        Assert.Equal(expected, MetaSignedRequest.Check(signedRequest, Secret, Now, out var user));
        Assert.Null(user);
    }

    [Fact]
    public void A_well_signed_payload_still_needs_json_the_algorithm_a_recent_time_and_a_user()
    {
        Assert.Equal(SignedRequestCheck.Malformed, MetaSignedRequest.Check(Signed("not json"), Secret, Now, out _));
        Assert.Equal(SignedRequestCheck.Malformed, MetaSignedRequest.Check(Signed("[1,2]"), Secret, Now, out _));
        Assert.Equal(SignedRequestCheck.WrongAlgorithm, MetaSignedRequest.Check(Signed($$"""{"algorithm":"none","user_id":"1","issued_at":{{Now.ToUnixTimeSeconds()}}}"""), Secret, Now, out _));
        Assert.Equal(SignedRequestCheck.Expired, MetaSignedRequest.Check(Signed($$"""{"algorithm":"HMAC-SHA256","user_id":"1","issued_at":{{Now.AddHours(-2).ToUnixTimeSeconds()}}}"""), Secret, Now, out _));
        Assert.Equal(SignedRequestCheck.Expired, MetaSignedRequest.Check(Signed($$"""{"algorithm":"HMAC-SHA256","user_id":"1","issued_at":{{Now.ToUnixTimeSeconds()}},"expires":{{Now.AddMinutes(-1).ToUnixTimeSeconds()}}}"""), Secret, Now, out _));
        Assert.Equal(SignedRequestCheck.Malformed, MetaSignedRequest.Check(Signed($$"""{"algorithm":"HMAC-SHA256","issued_at":{{Now.ToUnixTimeSeconds()}}}"""), Secret, Now, out _));
        Assert.Equal(SignedRequestCheck.BadSignature, MetaSignedRequest.Check(MetaSignedRequest.Sign("{}", "other secret"), Secret, Now, out _));
    }
}
