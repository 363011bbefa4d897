using System.Text;
using System.Threading.Channels;
using LazyAf.Runner.Processes;

namespace LazyAf.Runner.Agents;

/// <summary>
/// One agent process's conversation: its output lines become events on the log, its permission requests go to
/// the approvals and their answers back to its stdin, its usage is held against the budget, and the same tool call
/// made <c>loopGuard</c> times in a row stops it.
/// </summary>
internal sealed class AgentRun(IAgentOutputParser parser, IStepOutput output, AgentInvocation invocation, string executionId, IAgentApprovals? approvals, AgentPrice? price, int loopGuard)
{
    // Answers to the CLI are written by one writer, in order; a result closes the channel and so stdin.
    private readonly Channel<string> _toAgent = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ErrorTail _errors = new(output);
    // How often the usage a CLI records aside is read while it runs.
    private static readonly TimeSpan RecordedUsagePoll = TimeSpan.FromMilliseconds(500);

    private volatile AgentEvent? _result;
    private decimal _spentBeforeResult;
    private (string? Tool, string? Input) _lastCall;
    private int _callRepeats;

    /// <summary>Why the run was stopped by LazyAF (over budget, in a loop), when it was.</summary>
    public string? StopReason { get; private set; }

    public ProcessIo Io(string? stdin, CancellationTokenSource stop)
    {
        var interactive = invocation.ApprovalGate && parser is IAgentApprovalProtocol;
        if (stdin is not null)
            _toAgent.Writer.TryWrite(stdin);
        if (!interactive)
            _toAgent.Writer.TryComplete();
        return new ProcessIo(
            stdout => ReadAsync(stdout, stop),
            stderr => SessionProcess.PumpAsync(stderr, LogStream.Stderr, _errors),
            WriteAsync);
    }

    /// <summary>The step's exit code: the process's, unless its result says it failed (then the failure, as a reason).</summary>
    public int Outcome(string agent, int exitCode)
    {
        if (_result is { IsError: true } failed)
            throw new StepFailedException($"{agent} failed ({failed.Subtype ?? "error"}): {Summaries.Cut(failed.Text ?? "no message", 300)}");
        if (exitCode != 0 && _result is null)
            throw new StepFailedException($"{agent} exited {exitCode} without a result" + (_errors.LastLine() is { } said ? $": {said}" : "; see its output in the log"));
        if (exitCode != 0)
            throw new StepFailedException($"{agent} exited {exitCode}");
        return 0;
    }

    private async Task WriteAsync(StreamWriter stdin)
    {
        await foreach (var line in _toAgent.Reader.ReadAllAsync())
        {
            await stdin.WriteAsync(line);
            await stdin.FlushAsync();
        }
        stdin.Close();
    }

    // The stream's events and, for a CLI that records its usage aside, the turns read from that record go through one
    // queue, so they are handled one at a time and in the order they came.
    private async Task ReadAsync(Stream stdout, CancellationTokenSource stop)
    {
        var events = Channel.CreateUnbounded<AgentEvent>(new UnboundedChannelOptions { SingleReader = true });
        var handling = HandleAllAsync(events.Reader, stop);
        using var streamEnded = new CancellationTokenSource();
        var recorded = parser is IAgentRecordedUsage record ? FollowRecordedUsageAsync(record, events.Writer, streamEnded.Token) : Task.CompletedTask;
        try
        {
            using var reader = new StreamReader(stdout, Encoding.UTF8);
            while (await reader.ReadLineAsync() is { } line)
            {
                // Masked three times: the CLI's own line (its escaping), each decoded field before it is cut, and the
                // encoded event again by the log.
                foreach (var e in parser.Parse(output.Redactor.Redact(line)))
                {
                    if (e.Kind == AgentEventKind.Result && parser is IAgentRecordedUsage last)
                        await CatchUpRecordedUsageAsync(last, recorded, streamEnded, events.Writer);
                    await events.Writer.WriteAsync(e);
                }
            }
        }
        finally
        {
            await streamEnded.CancelAsync();
            await recorded;
            events.Writer.TryComplete();
            await handling;
            _toAgent.Writer.TryComplete();
        }
    }

    private async Task HandleAllAsync(ChannelReader<AgentEvent> events, CancellationTokenSource stop)
    {
        await foreach (var e in events.ReadAllAsync())
        {
            // A turn read from the record after the result is in the result's totals already.
            if (e.Kind == AgentEventKind.Usage && _result is not null)
                continue;
            await HandleAsync(Summaries.Shorten(output.Redactor.Redact(e)), stop);
        }
    }

    // Until the result: it carries the run's totals, and turns read after it would count twice against the budget.
    private async Task FollowRecordedUsageAsync(IAgentRecordedUsage record, ChannelWriter<AgentEvent> events, CancellationToken streamEnded)
    {
        using var every = new PeriodicTimer(RecordedUsagePoll);
        try
        {
            while (await every.WaitForNextTickAsync(streamEnded) && _result is null)
            {
                foreach (var turn in ReadRecord(record))
                    await events.WriteAsync(turn, streamEnded);
            }
        }
        catch (OperationCanceledException) when (streamEnded.IsCancellationRequested)
        {
            // The stream ended: its result (or its absence) says the rest.
        }
    }

    // However quickly the CLI ran, the turns it recorded come before its result: the follower stops, then one last read.
    private static async Task CatchUpRecordedUsageAsync(IAgentRecordedUsage record, Task following, CancellationTokenSource streamEnded, ChannelWriter<AgentEvent> events)
    {
        await streamEnded.CancelAsync();
        await following;
        foreach (var turn in ReadRecord(record))
            await events.WriteAsync(turn);
    }

    private static IReadOnlyList<AgentEvent> ReadRecord(IAgentRecordedUsage record)
    {
        try
        {
            return record.ReadRecordedUsage();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The CLI is writing or moving its record; the next read finds it again, and the result has the totals anyway.
            return [];
        }
    }

    private async Task HandleAsync(AgentEvent e, CancellationTokenSource stop)
    {
        // CLIs that report only tokens get their cost from the runner's price table, so every run has one.
        if (e.Usage is { CostUsd: null } tokens && price is not null)
            e = e with { Usage = tokens with { CostUsd = price.CostOf(tokens) } };
        await output.WriteAsync(LogStream.Agent, AgentEventJson.ToLine(e), CancellationToken.None);
        switch (e.Kind)
        {
            case AgentEventKind.PermissionRequest when parser is IAgentApprovalProtocol protocol:
                var decision = invocation.ApprovalGate && approvals is not null
                    ? await approvals.DecideAsync(executionId, e, stop.Token)
                    : new ApprovalDecision(true, null);
                _toAgent.Writer.TryWrite(protocol.Answer(e, decision));
                break;
            case AgentEventKind.ToolCall:
                await StopIfLoopingAsync(e, stop);
                break;
            case AgentEventKind.Usage:
                _spentBeforeResult += e.Usage?.CostUsd ?? 0;
                await StopIfOverBudgetAsync(_spentBeforeResult, stop);
                break;
            case AgentEventKind.Result:
                _result = e;
                _toAgent.Writer.TryComplete();
                if (e.Usage is not null)
                    await StopIfOverBudgetAsync(e.Usage.CostUsd ?? 0, stop);
                break;
        }
    }

    private async Task StopIfOverBudgetAsync(decimal spent, CancellationTokenSource stop)
    {
        if (invocation.MaxCostUsd is not { } budget || spent <= budget)
            return;
        await StopAsync($"stopped: the agent's cost ${spent:0.####} crossed the step's budget ${budget:0.####}", stop);
    }

    private async Task StopIfLoopingAsync(AgentEvent call, CancellationTokenSource stop)
    {
        var current = (call.ToolName, call.Summary);
        _callRepeats = current == _lastCall ? _callRepeats + 1 : 1;
        _lastCall = current;
        if (_callRepeats < loopGuard)
            return;
        await StopAsync($"stopped: the agent made the same {call.ToolName} call {_callRepeats} times in a row ({Summaries.Cut(call.Summary ?? "", 80)}); it looks stuck in a loop", stop);
    }

    private async Task StopAsync(string reason, CancellationTokenSource stop)
    {
        if (StopReason is not null)
            return;
        StopReason = reason;
        await output.WriteAsync(LogStream.System, Encoding.UTF8.GetBytes(StopReason + "\n"), CancellationToken.None);
        await stop.CancelAsync();
    }
}
