using System.Net;
using System.Net.Sockets;
using OneInbox.Infrastructure.Security;

namespace OneInbox.UnitTests.Channels;

public sealed class SsrfGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.10.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("224.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Internal_addresses_are_refused_by_default(string address)
    {
        Assert.False(new SsrfGuard(new OutboundOptions()).IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("149.154.167.220")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:4860:4860::8888")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.True(new SsrfGuard(new OutboundOptions()).IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void Allowing_loopback_for_tests_does_not_open_private_networks_or_metadata()
    {
        var guard = new SsrfGuard(new OutboundOptions { AllowLoopback = true });

        Assert.True(guard.IsAllowed(IPAddress.Loopback));
        Assert.False(guard.IsAllowed(IPAddress.Parse("10.0.0.1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public async Task A_request_to_a_name_that_resolves_to_loopback_never_connects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new HttpClient(new SsrfGuard(new OutboundOptions()).CreateHandler());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://localhost:{port}/")));

        Assert.IsType<OutboundAddressRefusedException>(error.InnerException ?? error);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            await socket.SendAsync("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        });
        using var client = new HttpClient(new SsrfGuard(new OutboundOptions { AllowLoopback = true }).CreateHandler());

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
        await server;

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }
}
