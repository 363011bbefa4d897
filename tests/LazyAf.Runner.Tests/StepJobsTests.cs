using System.Threading.Channels;
using LazyAf.Protocol.V1;
using LazyAf.Runner.Remote;
using LazyAf.Testing;
using Serilog.Core;

namespace LazyAf.Runner.Tests;

/// <summary>An agent's steps (<see cref="StepJobs"/>) against the real git server, their messages read from the agent's outgoing queue.</summary>
public sealed class StepJobsTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task A_step_starts_only_once_its_ack_was_written_to_the_host()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        using var root = new TempDir("lazyaf-step-jobs");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var outgoing = Channel.CreateUnbounded<RunnerMessage>();
        var options = new StepRunnerOptions();
        var runner = new StepRunner([new Steps.ScriptStepKind(options.KillGrace)], options);
        using var jobs = new StepJobs(runner, new HashSet<string>(StringComparer.Ordinal) { "script" }, capacity: 2,
            new AgentWorkspaces(root.Combine("workspaces"), 0, Logger.None), root.Combine("spool"), outgoing.Writer, Logger.None);
        var unsent = Assign(bed);
        var sent = Assign(bed);

        await jobs.StartAsync(unsent, ct);
        await jobs.StartAsync(sent, ct);
        var acks = new[] { await outgoing.Reader.ReadAsync(ct), await outgoing.Reader.ReadAsync(ct) };
        jobs.Sent(acks[1]);
        var beforeTheUnsentAck = await ReadUntilAsync(outgoing.Reader, m => m.Result?.ExecutionId == sent.ExecutionId, ct);
        jobs.Sent(acks[0]);
        var afterIt = await ReadUntilAsync(outgoing.Reader, m => m.Result?.ExecutionId == unsent.ExecutionId, ct);

        Assert.Equal([unsent.ExecutionId, sent.ExecutionId], acks.Select(a => a.Ack.ExecutionId));
        Assert.Contains(beforeTheUnsentAck, m => m.StepState?.ExecutionId == sent.ExecutionId && m.StepState.Phase == StepPhase.Started);
        Assert.DoesNotContain(beforeTheUnsentAck, m => m.StepState?.ExecutionId == unsent.ExecutionId);
        Assert.Contains(afterIt, m => m.StepState?.ExecutionId == unsent.ExecutionId && m.StepState.Phase == StepPhase.Started);
        Assert.Equal(Protocol.V1.StepOutcome.Succeeded, afterIt[^1].Result.Outcome);
    }

    private static Assign Assign(RunnerTestBed bed)
    {
        var spec = bed.Script("echo started");
        return new Assign { ExecutionId = spec.ExecutionId, Spec = WireSteps.ToWire(spec), StepToken = bed.Token.Value };
    }

    private static async Task<List<RunnerMessage>> ReadUntilAsync(ChannelReader<RunnerMessage> reader, Func<RunnerMessage, bool> last, CancellationToken ct)
    {
        var read = new List<RunnerMessage>();
        do
            read.Add(await reader.ReadAsync(ct));
        while (!last(read[^1]));
        return read;
    }
}
