using System.Diagnostics;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf completion bash|zsh</c>, sourced into a real bash and asked to complete command lines as the shell does.</summary>
public sealed class CompletionTests : IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_bash_script_registers_lazyaf_and_completes_commands_subcommands_and_options()
    {
        var script = _work.Combine("lazyaf.bash");
        await File.WriteAllTextAsync(script, (await Cli.RunAsync(_work.Path, "completion", "bash")).AssertSucceeded().Output);

        Assert.Equal("complete -F _lazyaf lazyaf", await BashAsync($"source {script}; complete -p lazyaf"));
        Assert.Equal("show start", await CompleteAsync(script, "lazyaf", "card", "s"));
        Assert.Equal("cancel", await CompleteAsync(script, "lazyaf", "execution", "c"));
        Assert.Equal("--json", await CompleteAsync(script, "lazyaf", "card", "show", "0123abcd", "--j"));
        Assert.Equal("logs login", await CompleteAsync(script, "lazyaf", "lo"));
        Assert.Contains("--server", (await CompleteAsync(script, "lazyaf", "repos", "--s")).Split(' '));
    }

    [Fact]
    public async Task The_zsh_script_is_the_bash_one_through_bashcompinit_and_an_unknown_shell_is_a_usage_error()
    {
        var zsh = (await Cli.RunAsync(_work.Path, "completion", "zsh")).AssertSucceeded().Output;
        var fish = await Cli.RunAsync(_work.Path, "completion", "fish");

        Assert.StartsWith("#compdef lazyaf\n", zsh, StringComparison.Ordinal);
        Assert.Contains("bashcompinit", zsh, StringComparison.Ordinal);
        Assert.Contains("complete -F _lazyaf lazyaf", zsh, StringComparison.Ordinal);
        Assert.Contains("fish", fish.AssertFailedWithOneLine(exitCode: 2), StringComparison.Ordinal);
    }

    private static LazyafCli Cli => new("http://127.0.0.1:9");

    /// <summary>What bash's completion offers for the words, the last one being completed, as programmable completion calls it.</summary>
    private static Task<string> CompleteAsync(string script, params string[] words) =>
        BashAsync($"source {script}; COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))}); COMP_CWORD={words.Length - 1}; _lazyaf; echo \"${{COMPREPLY[*]}}\"");

    private static async Task<string> BashAsync(string command)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var error = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, $"bash failed: {error}");
        return output.Trim();
    }
}
