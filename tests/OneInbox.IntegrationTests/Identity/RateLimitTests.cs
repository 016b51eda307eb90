using System.Net;
using Microsoft.AspNetCore.Hosting;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Identity;

public sealed class RateLimitedApp : OneInboxApp
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("OneInbox:Identity:TokenRequestsPerMinutePerIp", "1000");
        builder.UseSetting("OneInbox:Identity:TokenRequestsPerMinutePerUser", "3");
        builder.UseSetting("OneInbox:Identity:ApiRequestsPerMinutePerWorkspace", "5");
    }
}

public class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Guessing_one_users_password_quickly_gets_429_with_retry_after()
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
            responses.Add(await app.CreateClient().PostAsync("/connect/token", TestIdentity.PasswordForm("target@example.test", "guess " + i)));

        var limited = responses.Last();
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_workspace_that_calls_the_API_too_often_gets_429_and_others_do_not()
    {
        var busy = await app.CreateWorkspaceAsync("Busy");
        var quiet = await app.CreateWorkspaceAsync("Quiet");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
            statuses.Add((await busy.Owner.Client.GetAsync("/api/v1/contacts")).StatusCode);
        var other = await quiet.Owner.Client.GetAsync("/api/v1/contacts");

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
