using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Host.Tests;

/// <summary>A registration token says where runners connect, so the board's connect command can name it.</summary>
public sealed class RunnerTokenTests
{
    [Fact]
    public async Task A_registration_token_names_the_hosts_runner_endpoint_and_none_when_it_has_none()
    {
        await using var runners = RunnerHost.Start();
        var created = await (await runners.Api.PostJsonAsync("/api/runners/tokens", new { description = "board" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(runners.RunnerUrl, created.Str("runner_url"));

        await using var plain = LazyAfHost.Start();
        var unset = await (await plain.Client.PostJsonAsync("/api/runners/tokens", new { description = "board" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, unset.GetProperty("runner_url").ValueKind);
    }
}
