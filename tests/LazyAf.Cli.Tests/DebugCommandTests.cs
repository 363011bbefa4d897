using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf debug</c> against a real host: the re-run is followed to its pause, and the session's shell takes piped commands.</summary>
public sealed partial class DebugCommandTests : CliTest
{
    private const string Pipeline = """
        name: app
        env: {FOO: from-the-pipeline}
        steps:
          - id: build
            config: {command: "echo built > built.txt", commit: true}
          - id: test
            needs: [build]
            config: {command: "echo left-by-test > leftover.txt; test -f never-there.txt"}
        """;

    [Fact]
    public async Task Debug_follows_the_rerun_to_its_breakpoint_and_the_shell_runs_piped_commands_in_the_step_then_resume_ends_it()
    {
        var original = await OriginalRunAsync("cli-break");

        var debug = await Cli.RunAsync(Work.Path, "debug", original, "--break", "test");

        debug.AssertSucceeded();
        Assert.Contains("step build: passed", debug.Output, StringComparison.Ordinal);
        Assert.Contains("Paused before step test", debug.Output, StringComparison.Ordinal);
        var session = SessionId(debug.Output);
        Assert.Contains($"lazyaf debug resume {session}", debug.Output, StringComparison.Ordinal);
        Assert.Contains($"lazyaf debug abort {session}", debug.Output, StringComparison.Ordinal);

        var shell = await Cli.RunWithInputAsync(Work.Path, "echo \"foo=$FOO\"; ls; exit 4\n", "debug", "shell", session);
        Assert.Equal(4, shell.ExitCode);
        Assert.Contains("foo=from-the-pipeline", shell.Output, StringComparison.Ordinal);
        Assert.Contains("built.txt", shell.Output, StringComparison.Ordinal);

        var resumed = await Cli.RunAsync(Work.Path, "debug", "resume", session);
        resumed.AssertSucceeded();
        Assert.Contains("ended", resumed.Output, StringComparison.Ordinal);
        var runId = Regex.Match(debug.Output, "Started debug re-run ([0-9a-f]{32})").Groups[1].Value;
        Assert.Equal("failed", (await new PipelineRuns(Host).SettledAsync(runId)).Str("state"));
    }

    [Fact]
    public async Task In_band_commands_piped_into_the_shell_say_the_status_extend_the_session_and_resume_it_and_the_cli_exits_0()
    {
        var original = await OriginalRunAsync("cli-inband");
        var debug = await Cli.RunAsync(Work.Path, "debug", original, "--break", "test");
        debug.AssertSucceeded();
        var session = SessionId(debug.Output);
        var bogus = await Cli.RunAsync(Work.Path, "debug", "shell", session, "--mode", "bogus");
        Assert.Equal(2, bogus.ExitCode);

        var shell = await Cli.RunWithInputAsync(Work.Path, "@status\n@extend\n@resume\necho never-typed\n", "debug", "shell", session);

        shell.AssertSucceeded();
        Assert.Contains($"lazyaf @status: session {session} connected, before step test, ", shell.Output, StringComparison.Ordinal);
        Assert.Matches(@"lazyaf @extend: extended; session [0-9a-f]{32} connected, before step test, \d+m\d\ds left \(until ", shell.Output);
        Assert.Contains($"lazyaf @resume: debug session {session} is ended", shell.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("never-typed", shell.Output, StringComparison.Ordinal);
        var runId = Regex.Match(debug.Output, "Started debug re-run ([0-9a-f]{32})").Groups[1].Value;
        Assert.Equal("failed", (await new PipelineRuns(Host).SettledAsync(runId)).Str("state"));
        var after = await Cli.RunWithInputAsync(Work.Path, "@status\n", "debug", "shell", session);
        after.AssertFailedWithOneLine();
    }

    [Fact]
    public async Task Debug_with_pause_on_failure_stops_after_the_failed_step_with_a_shell_in_what_it_left()
    {
        var original = await OriginalRunAsync("cli-failure");

        var debug = await Cli.RunAsync(Work.Path, "debug", original, "--pause-on-failure");

        debug.AssertSucceeded();
        Assert.Contains("step test: failed", debug.Output, StringComparison.Ordinal);
        Assert.Contains("Paused after failed step test", debug.Output, StringComparison.Ordinal);
        var session = SessionId(debug.Output);
        var shell = await Cli.RunWithInputAsync(Work.Path, "cat leftover.txt; exit\n", "debug", "shell", session);
        Assert.Equal(0, shell.ExitCode);
        Assert.Contains("left-by-test", shell.Output, StringComparison.Ordinal);

        (await Cli.RunAsync(Work.Path, "debug", "abort", session)).AssertSucceeded();
        var again = await Cli.RunAsync(Work.Path, "debug", "shell", session);
        again.AssertFailedWithOneLine();
        Assert.Contains("ended", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_named_by_its_last_8_characters_or_a_prefix_marks_its_failed_step_passed_and_the_run_goes_on_to_pass()
    {
        var original = await OriginalRunAsync("cli-mark");
        var debug = await Cli.RunAsync(Work.Path, "debug", original, "--pause-on-failure");
        debug.AssertSucceeded();
        var session = SessionId(debug.Output);

        var shell = await Cli.RunWithInputAsync(Work.Path, "cat leftover.txt; exit\n", "debug", "shell", session[^8..]);
        Assert.Contains("left-by-test", shell.Output, StringComparison.Ordinal);
        var maybe = await Cli.RunAsync(Work.Path, "debug", "mark", session, "maybe");
        Assert.Equal(2, maybe.ExitCode);
        var marked = await Cli.RunAsync(Work.Path, "debug", "mark", session[..20], "passed");

        marked.AssertSucceeded();
        Assert.Contains($"Debug session {session} is ended", marked.Output, StringComparison.Ordinal);
        var runId = Regex.Match(debug.Output, "Started debug re-run ([0-9a-f]{32})").Groups[1].Value;
        Assert.Equal("passed", (await new PipelineRuns(Host).SettledAsync(runId)).Str("state"));
        // An ended session is no longer open: its short form names nothing.
        var gone = await Cli.RunAsync(Work.Path, "debug", "resume", session[^8..]);
        gone.AssertFailedWithOneLine();
        Assert.Contains("no debug session", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_refuses_unknown_steps_sessions_and_a_rerun_that_could_never_pause()
    {
        var original = await OriginalRunAsync("cli-bad");

        var unknown = await Cli.RunAsync(Work.Path, "debug", original, "--break", "nosuch");
        unknown.AssertFailedWithOneLine();
        Assert.Contains("'nosuch'", unknown.Error, StringComparison.Ordinal);
        var never = await Cli.RunAsync(Work.Path, "debug", original);
        never.AssertFailedWithOneLine();
        Assert.Contains("--pause-on-failure", never.Error, StringComparison.Ordinal);
        var missing = await Cli.RunAsync(Work.Path, "debug", "resume", "01ARZ3NDEKTSV4RRFFQ69G5FAV");
        missing.AssertFailedWithOneLine();
        Assert.Contains("no debug session", missing.Error, StringComparison.Ordinal);
    }

    private async Task<string> OriginalRunAsync(string name)
    {
        var repo = await SeededRepo.CreateAsync(Host, Work, name);
        await PipelineRuns.CommitPipelineAsync(repo, "app", Pipeline);
        var runs = new PipelineRuns(Host);
        var original = await runs.RunAsync(repo.Id, "app");
        Assert.Equal("failed", (await runs.SettledAsync(original)).Str("state"));
        return original;
    }

    private static string SessionId(string output) => SessionLine().Match(output) is { Success: true } found
        ? found.Groups[1].Value
        : throw new Xunit.Sdk.XunitException($"no session in: {output}");

    [GeneratedRegex("debug session ([0-9a-f]{32})")]
    private static partial Regex SessionLine();
}
