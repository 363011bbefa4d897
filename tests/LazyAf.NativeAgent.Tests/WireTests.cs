using Google.Protobuf;
using LazyAf.Runner.Remote;
using LazyAf.Runner;
using Wire = LazyAf.Protocol.V1;

namespace LazyAf.NativeAgent.Tests;

/// <summary>What the host sends is what the runner runs: step specs, results and chunks survive the wire unchanged.</summary>
public sealed class WireTests
{
    public static TheoryData<StepDefinition> Steps => new()
    {
        new ScriptStepDefinition("make test") { WorkingDir = "src", KeepPartialWork = true },
        new DockerStepDefinition("lazyaf/busybox:test", "ls") { Memory = "512m", Cpus = 1.5 },
        new DockerStepDefinition("alpine", "true"),
        new DockerStepDefinition("docker:cli", "docker ps") { Privileged = true, DockerSocket = true },
        new AgentStepDefinition("claude-code")
        {
            Model = "opus", PromptTemplate = "Fix {{title}}", SystemPrompt = "Be brief.", MaxTurns = 7, MaxCostUsd = 0.75m,
            ApprovalGate = true, FollowUp = "and the docs", ResumeSession = "s-1", KeepPartialWork = true,
        },
        new AgentStepDefinition("command") { Command = "./agent.sh" },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public void A_spec_reads_back_as_it_was_sent(StepDefinition step)
    {
        var spec = new StepSpec(
            "0123456789abcdef0123456789abcdef",
            new RepoCheckout("http://127.0.0.1:8080/git/r.git", null, "main", "abc123", "lazyaf/card-1"),
            step,
            new Dictionary<string, string> { ["A"] = "1" },
            new Dictionary<string, string> { ["SECRET"] = "s3cr3t" },
            TimeSpan.FromMinutes(10),
            new StepContext("Title", "Description", [new PreviousStep("build", StepOutcome.Failed, "tail", new TestSummary(3, 2, 1, 0, [new TestFailure("t1", "boom", "report.xml") { Output = "printed before the boom" }]))]),
            new CommitSettings("feat: x", "LazyAF", "lazyaf@localhost"))
        {
            SetupCommand = "make deps",
            Files = new Dictionary<string, string> { [".env"] = "A=1\n" },
            RunId = "run-1",
        };

        var assign = Wire.Assign.Parser.ParseFrom(new Wire.Assign { ExecutionId = spec.ExecutionId, Spec = WireSteps.ToWire(spec), StepToken = "tok" }.ToByteArray());
        var read = WireSteps.ToRunner(assign);

        Assert.Equal(step, read.Step);
        Assert.Equal(spec.Repo with { Token = "tok" }, read.Repo);
        Assert.Equal(spec.ExecutionId, read.ExecutionId);
        Assert.Equal(spec.Env, read.Env);
        Assert.Equal(spec.Secrets, read.Secrets);
        Assert.Equal(spec.Files, read.Files);
        Assert.Equal(spec.Timeout, read.Timeout);
        Assert.Equal(spec.Commit, read.Commit);
        Assert.Equal(spec.SetupCommand, read.SetupCommand);
        Assert.Equal(spec.RunId, read.RunId);
        Assert.Equal((spec.Context.Title, spec.Context.Description), (read.Context.Title, read.Context.Description));
        var previous = Assert.Single(read.Context.PreviousSteps);
        Assert.Equal(("build", StepOutcome.Failed, "tail"), (previous.Name, previous.Outcome, previous.LogTail));
        Assert.Equal(new TestFailure("t1", "boom", "report.xml") { Output = "printed before the boom" }, Assert.Single(previous.Tests!.Failures));
    }

    [Theory]
    [InlineData("everything")]
    [InlineData("")]
    [InlineData("report.txt,out/*.json")]
    public void What_a_step_commits_reads_back_as_it_was_sent(string commit)
    {
        string[]? paths = commit == "everything" ? null : commit.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var scope = paths is null ? CommitScope.Everything : CommitScope.Only(paths);
        var spec = new StepSpec("e", new RepoCheckout("http://127.0.0.1:8080/git/r.git", null, "main", null, "lazyaf/card-1"), new ScriptStepDefinition("make"),
            new Dictionary<string, string>(), new Dictionary<string, string>(), TimeSpan.FromMinutes(1), new StepContext("t", "", []),
            new CommitSettings("feat: x", "LazyAF", "lazyaf@localhost") { Scope = scope });

        var read = WireSteps.ToRunner(Wire.Assign.Parser.ParseFrom(new Wire.Assign { ExecutionId = "e", Spec = WireSteps.ToWire(spec) }.ToByteArray())).Commit.Scope;

        Assert.Equal((scope.Enabled, scope.Paths), (read.Enabled, read.Paths), (a, b) => a.Item1 == b.Item1 && a.Item2.SequenceEqual(b.Item2));
        Assert.Equal(paths is not [], read.Enabled);
    }

    [Fact]
    public void A_spec_from_a_server_that_does_not_say_what_to_commit_commits_everything()
    {
        var wire = new Wire.StepSpec { Repo = new Wire.RepoCheckout { CloneUrl = "u", BaseBranch = "main", WorkBranch = "lazyaf/x" }, Step = new Wire.StepDefinition { Script = new Wire.ScriptStep { Command = "true" } } };

        Assert.Same(CommitScope.Everything, WireSteps.ToRunner(new Wire.Assign { ExecutionId = "e", Spec = wire }).Commit.Scope);
    }

    [Theory]
    [InlineData(StepOutcome.Succeeded, 0, null)]
    [InlineData(StepOutcome.Failed, 2, "exit code 2")]
    [InlineData(StepOutcome.Cancelled, null, "cancelled")]
    [InlineData(StepOutcome.TimedOut, null, "timed out after 00:01:00")]
    public void A_result_reads_back_as_it_was_sent(StepOutcome outcome, int? exitCode, string? error)
    {
        var result = new StepResult(outcome, exitCode, error, new TestSummary(1, 1, 0, 0, []), "lazyaf/card-1", "abc", true) { LogTail = "end" };

        var read = WireResults.ToRunner(Wire.StepResult.Parser.ParseFrom(WireResults.ToWire("e", result, 42).ToByteArray()));

        Assert.Equal(result with { Tests = read.Tests }, read);
        Assert.Equal((1, 1, 0, 0), (read.Tests!.Total, read.Tests.Passed, read.Tests.Failed, read.Tests.Skipped));
    }

    [Fact]
    public void A_chunk_keeps_its_seq_stream_time_and_bytes()
    {
        var chunk = new LogChunk("e", 7, LogStream.Agent, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), new byte[] { 0, 1, 255 });

        var read = WireResults.ToRunner(Wire.LogChunk.Parser.ParseFrom(WireResults.ToWire(chunk).ToByteArray()));

        Assert.Equal((chunk.ExecutionId, chunk.Seq, chunk.Stream, chunk.At), (read.ExecutionId, read.Seq, read.Stream, read.At));
        Assert.Equal(chunk.Data.ToArray(), read.Data.ToArray());
    }
}
