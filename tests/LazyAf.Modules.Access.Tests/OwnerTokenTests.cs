using System.Net;
using System.Text;
using LazyAf.Testing;

namespace LazyAf.Modules.Access.Tests;

/// <summary>The owner's token: made at the first start in the data directory, readable only by its OS user, stored only as a hash.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerTokenTests
{
    [Fact]
    public async Task The_first_start_makes_an_owner_token_only_its_user_can_read_and_the_database_holds_only_its_hash()
    {
        await using var host = LazyAfHost.Start();
        var token = host.OwnerToken;

        Assert.StartsWith("lazyaf_", token, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(host.DataDir, "owner.token")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(host.DataDir));
        var me = await (await host.Client.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("owner", me.Str("user"));
        foreach (var file in Directory.GetFiles(host.DataDir, "lazyaf.db*"))
            Assert.DoesNotContain(token, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_keeps_the_owner_token_and_a_deleted_token_file_is_replaced_with_a_new_token()
    {
        await using var host = LazyAfHost.Start();
        var first = host.OwnerToken;

        await host.RestartAsync();
        Assert.Equal(first, host.OwnerToken);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/repos")).StatusCode);

        File.Delete(Path.Combine(host.DataDir, "owner.token"));
        await host.RestartAsync();

        Assert.NotEqual(first, host.OwnerToken);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/repos")).StatusCode);
        using var old = host.CreateClient(first);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/repos")).StatusCode);
    }
}
