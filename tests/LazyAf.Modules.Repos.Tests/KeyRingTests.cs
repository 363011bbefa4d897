using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Repos.Tests;

/// <summary>The keys that decrypt the stored secrets: readable by the host's user only, and encrypted when a key-encryption key is set.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class KeyRingTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_key_ring_directory_is_0700_and_its_key_files_0600_also_when_an_older_host_left_them_open()
    {
        using var data = new TempDir("keyring-modes");
        var keys = Directory.CreateDirectory(Path.Combine(data.Path, "keys"));
        File.SetUnixFileMode(keys.FullName, (UnixFileMode)0b111_101_101);
        var old = Path.Combine(keys.FullName, "left-open.xml");
        await File.WriteAllTextAsync(old, "<nothing/>");
        File.SetUnixFileMode(old, (UnixFileMode)0b110_100_100);

        await using var host = LazyAfHost.Start(data.Path);
        await SetSecretAsync(host, await host.CreateRepoAsync("modes"), "s3cret-value");

        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(keys.FullName));
        var files = keys.GetFiles();
        Assert.True(files.Length >= 2, string.Join(", ", files.Select(f => f.Name)));
        Assert.All(files, file => Assert.Equal(OwnerOnly, File.GetUnixFileMode(file.FullName)));
    }

    [Fact]
    public async Task With_a_key_encryption_key_no_key_is_stored_in_the_clear_and_a_restart_with_it_reads_the_secrets()
    {
        using var data = new TempDir("keyring-encrypted");
        var settings = new Dictionary<string, string> { ["Repos:KeyRingKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        string repo;
        await using (var host = LazyAfHost.Start(data.Path, settings: settings))
        {
            repo = await host.CreateRepoAsync("encrypted");
            await SetSecretAsync(host, repo, "s3cret-value");
        }

        var keyFiles = Directory.GetFiles(Path.Combine(data.Path, "keys"), "key-*.xml");
        Assert.NotEmpty(keyFiles);
        foreach (var file in keyFiles)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains("<lazyafEncryptedKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }

        await using var restarted = LazyAfHost.Start(data.Path, settings: settings);
        var secrets = await restarted.Services.GetRequiredService<IRepoSecrets>().ForStepAsync(repo, ["API_KEY"], CancellationToken.None);
        Assert.Equal("s3cret-value", secrets.Values["API_KEY"]);
    }

    private static async Task SetSecretAsync(LazyAfHost host, string repo, string value) =>
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.PutJsonAsync($"/api/repos/{repo}/secrets/API_KEY", new { value })).StatusCode);
}
