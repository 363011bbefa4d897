using System.Diagnostics;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// The CLI as people install it: <c>dotnet pack</c> makes the .NET tool, <c>dotnet tool install --add-source</c> installs it,
/// and the installed <c>lazyaf</c> talks to a real host.
/// </summary>
public sealed class ToolInstallTests : CliTest
{
    [Fact]
    public async Task The_packed_tool_installs_and_its_lazyaf_lists_the_host_s_repos()
    {
        await Host.CreateRepoAsync("installed");
        var feed = Work.Combine("feed");
        var tools = Work.Combine("tools");

        await RunAsync("dotnet", ["pack", Path.Combine(RepoRoot(), "src", "LazyAf.Cli"), "-c", "Release", "-o", feed, "-p:PackageVersion=0.0.0-test"]);
        await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "--version", "0.0.0-test", "lazyaf"]);
        var listed = await RunAsync(Path.Combine(tools, "lazyaf"), ["repos", "--json"],
            new() { ["LAZYAF_SERVER"] = Host.BaseUrl, ["LAZYAF_DATA_DIR"] = Host.DataDir });

        Assert.Equal(["installed"], JsonDocument.Parse(listed).RootElement.EnumerateArray().Select(r => r.Str("name")));
        var help = await RunAsync(Path.Combine(tools, "lazyaf"), ["--help"]);
        Assert.Contains("Exit codes: 0 done, 1 failed", help, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(string file, string[] args, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Work.Path };
        foreach (var (key, value) in environment ?? [])
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await output}\n{await error}");
        return await output;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LazyAf.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The tests run outside the LazyAF repository.");
    }
}
