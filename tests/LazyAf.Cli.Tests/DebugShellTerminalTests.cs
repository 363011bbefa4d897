using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// <c>lazyaf debug shell</c> as a person runs it: the real CLI process on a real pseudo-terminal (util-linux
/// <c>script</c>), keys written into it one at a time, against a real host with a run paused at a breakpoint.
/// </summary>
public sealed partial class DebugShellTerminalTests : CliTest
{
    private const string Pipeline = """
        name: app
        steps:
          - id: build
            config: {command: "echo built > built.txt", commit: true}
          - id: test
            needs: [build]
            config: {command: "test -f built.txt"}
        """;

    [Fact]
    public async Task On_a_pseudo_terminal_the_shell_is_raw_runs_a_command_answers_at_status_itself_and_at_resume_exits_0_and_the_run_passes()
    {
        var repo = await SeededRepo.CreateAsync(Host, Work, "cli-pty");
        await PipelineRuns.CommitPipelineAsync(repo, "app", Pipeline);
        var runs = new PipelineRuns(Host);
        var original = await runs.RunAsync(repo.Id, "app");
        Assert.Equal("passed", (await runs.SettledAsync(original)).Str("state"));
        var debug = await Cli.RunAsync(Work.Path, "debug", original, "--break", "test");
        debug.AssertSucceeded();
        var session = Regex.Match(debug.Output, "debug session ([0-9a-f]{32})").Groups[1].Value;
        var runId = Regex.Match(debug.Output, "Started debug re-run ([0-9a-f]{32})").Groups[1].Value;

        await using var terminal = PseudoTerminalCli.Start(Host, Work.Path, $"debug shell {session[^8..]}");
        await terminal.WaitForAsync(text => Prompt().IsMatch(text), "the remote prompt");
        await terminal.TypeAsync("echo \"mark-$LAZYAF_STEP\"\r");
        await terminal.WaitForAsync(text => text.Contains("mark-test\r\n", StringComparison.Ordinal), "the command's output");
        // One terminal at a time: a second attach is refused, and says so in one line.
        var busy = await Cli.RunAsync(Work.Path, "debug", "shell", session);
        Assert.Contains("the host answered 409", busy.AssertFailedWithOneLine(), StringComparison.Ordinal);

        await terminal.TypeAsync("@status\r");
        await terminal.WaitForAsync(text => text.Contains($"lazyaf @status: session {session} connected, before step test, ", StringComparison.Ordinal), "the status line");
        // A later command's output: had the shell been sent @status, its complaint would be there by now.
        await terminal.TypeAsync("echo after-$((6*7))\r");
        await terminal.WaitForAsync(text => text.Contains("after-42", StringComparison.Ordinal), "the next command's output");
        await terminal.TypeAsync("@resume\r");
        var exit = await terminal.ExitedAsync();

        var seen = terminal.Text;
        Assert.True(exit == 0, $"script exited {exit}: {seen}");
        Assert.Contains($"lazyaf @resume: debug session {session} is ended", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("command not found", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("@status: ", seen.Replace("lazyaf @status: ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // Raw and without local echo: what was typed is on the screen once, as the remote shell echoed it.
        Assert.Equal(1, Regex.Count(seen, Regex.Escape("echo \"mark-$LAZYAF_STEP\"")));
        // The terminal is as it was once the CLI is gone.
        var after = seen[seen.LastIndexOf("stty-after:", StringComparison.Ordinal)..];
        Assert.Matches(@"(^|\s)icanon(\s|$)", after);
        Assert.Matches(@"(^|\s)echo(\s|$)", after);
        Assert.Equal("passed", (await runs.SettledAsync(runId)).Str("state"));
    }

    [GeneratedRegex(@"[$#] ")]
    private static partial Regex Prompt();

    /// <summary>The real lazyaf under <c>script</c>: its stdin a pipe the test types into, its screen read as it comes.</summary>
    private sealed class PseudoTerminalCli : IAsyncDisposable
    {
        private readonly Process _script;
        private readonly StringBuilder _screen = new();
        private readonly Task _reading;

        private PseudoTerminalCli(Process script)
        {
            _script = script;
            _reading = ReadAsync();
        }

        public string Text
        {
            get
            {
                lock (_screen)
                    return _screen.ToString();
            }
        }

        public static PseudoTerminalCli Start(LazyAfHost host, string workDir, string arguments)
        {
            var cli = Path.Combine(AppContext.BaseDirectory, "lazyaf.dll");
            // The terminal's settings after the CLI ended are printed too: raw mode must be undone.
            var command = $"stty cols 100 rows 30; dotnet {cli} {arguments}; code=$?; echo; echo stty-after: $(stty -a); exit $code";
            var start = new ProcessStartInfo("/usr/bin/script", ["-qfec", command, "/dev/null"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = workDir,
            };
            start.Environment["LAZYAF_SERVER"] = host.BaseUrl;
            start.Environment["LAZYAF_DATA_DIR"] = host.DataDir;
            start.Environment["TERM"] = "xterm";
            return new PseudoTerminalCli(Process.Start(start)!);
        }

        /// <summary>Types <paramref name="keys"/> a key at a time, as a person would.</summary>
        public async Task TypeAsync(string keys)
        {
            foreach (var key in keys)
            {
                await _script.StandardInput.WriteAsync(key);
                await _script.StandardInput.FlushAsync();
            }
        }

        public Task WaitForAsync(Func<string, bool> seen, string what) =>
            Eventually.HoldsAsync(() => seen(Text), () => $"{what} not on the screen: {Text}", TimeSpan.FromSeconds(60));

        public async Task<int> ExitedAsync()
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _script.WaitForExitAsync(patience.Token);
            await _reading;
            return _script.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_script.HasExited)
                _script.Kill(entireProcessTree: true);
            await _script.WaitForExitAsync();
            _script.Dispose();
        }

        private async Task ReadAsync()
        {
            var buffer = new char[4096];
            int read;
            while ((read = await _script.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (_screen)
                    _screen.Append(buffer, 0, read);
            }
        }
    }
}
