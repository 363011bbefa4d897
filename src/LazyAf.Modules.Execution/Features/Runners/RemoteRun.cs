using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>An execution pushed to a runner: waiting for its ack, then running there until its result comes.</summary>
internal sealed class RemoteRun(StepExecution assigned, StepToken? token)
{
    private const int Waiting = 0;
    private const int Acked = 1;
    private const int Abandoned = 2;

    private int _ack = Waiting;

    public string Id => Assigned.Row.Id;

    /// <summary>The execution as the router assigned it.</summary>
    public StepExecution Assigned { get; } = assigned;

    /// <summary>The execution once its start is saved (after the ack); null before, or when it was cancelled meanwhile.</summary>
    public StepExecution? Running { get; set; }

    /// <summary>Where its log chunks are stored, from the ack on.</summary>
    public StoredLogSink? Sink { get; set; }

    /// <summary>What the runner sent of the step's test cases, coverage and artifacts; null until the first of them comes.</summary>
    public RemoteOutputs? Outputs { get; set; }

    /// <summary>How many chunks ahead of a missing seq wait for it.</summary>
    public const int MaxEarly = 1024;

    /// <summary>How many more chunks must be stored before the runner is told so again.</summary>
    public const int StoredAckEvery = 256;

    /// <summary>The last stored seq the runner was told of; only the session's reader touches it.</summary>
    public long ToldStored { get; set; }

    /// <summary>Chunks that came before the seq after <see cref="LastSeq"/>, by seq; only the session's reader touches them.</summary>
    public SortedList<long, Protocol.V1.LogChunk> Early { get; } = [];

    /// <summary>The seq of the last chunk stored.</summary>
    public long LastSeq { get; set; }

    /// <summary>The step's git credential, revoked when the run ends; null for a run recovered after a host restart until its runner presents it again.</summary>
    public StepToken? Token { get; set; } = token;

    /// <summary>The wait for its ack, awaited before the stream's call returns.</summary>
    public Task AckWait { get; set; } = Task.CompletedTask;

    /// <summary>True for the first ack; false when the ack came too late (the run was abandoned) or twice.</summary>
    public bool TryAck() => Interlocked.CompareExchange(ref _ack, Acked, Waiting) == Waiting;

    /// <summary>True when no ack came first: the run is given up and the ack, if it still comes, is refused.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _ack, Abandoned, Waiting) == Waiting;

    public bool IsAcked => Volatile.Read(ref _ack) == Acked;
}
