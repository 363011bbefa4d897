using System.Diagnostics;

namespace LazyAf.Runner.Processes;

/// <summary>
/// Where one step's processes run: a cgroup of its own, or (without cgroups) a marker in their environment. Opening it
/// makes it the cell of the calling flow, so every process that flow starts through <see cref="SessionProcess"/> — the
/// step, its set-up script, its git, an agent CLI — goes in; stopping one of them stops the whole cell, and disposing
/// kills what is left and removes it.
/// </summary>
public sealed class StepCell : IAsyncDisposable
{
    private static readonly AsyncLocal<StepCell?> Flowing = new();
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);
    private readonly StepContainment _containment;
    private readonly string _marker;
    private readonly string? _cgroup;
    private readonly StepCell? _outer;

    private StepCell(StepContainment containment, string executionId, StepCell? outer)
    {
        _containment = containment;
        _outer = outer;
        _marker = $"{containment.Owner}/{executionId}";
        if (containment.CgroupRoot is { } root)
        {
            _cgroup = Path.Combine(root, executionId);
            Directory.CreateDirectory(_cgroup);
        }
    }

    /// <summary>The cell of the calling flow, or null outside any (processes then run in a process group only).</summary>
    internal static StepCell? Current => Flowing.Value;

    /// <summary>The cgroup of this cell, in cgroup mode.</summary>
    public string? Cgroup => _cgroup;

    internal static StepCell Open(StepContainment containment, string executionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        // The id names a directory and sits in an environment variable: nothing in it may climb out of either.
        if (executionId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || executionId.StartsWith('.'))
            throw new ArgumentException($"'{executionId}' cannot name a step cell", nameof(executionId));
        var cell = new StepCell(containment, executionId, Flowing.Value);
        Flowing.Value = cell;
        return cell;
    }

    /// <summary>Hands <paramref name="path"/> to the user steps run as (no-op when they run as the runner's user).</summary>
    public Task HandOverAsync(string path, CancellationToken ct) => _containment.HandOverAsync(path, ct);

    /// <summary>
    /// How to start <paramref name="command"/> in this cell: it enters the cgroup before it runs anything
    /// (<c>sh -c 'echo $$ &gt; cgroup.procs &amp;&amp; exec …'</c>), or gets a parent-death signal; then the user switch
    /// (setpriv) and its own session (setsid). Each step execs the next in place, so the pid stays the program's.
    /// </summary>
    internal ProcessStartInfo StartInfo(ProcessCommand command)
    {
        var chain = new List<string>();
        if (_cgroup is not null)
            chain.AddRange(CgroupTree.Entering(_cgroup));
        else
            chain.AddRange(["setpriv", "--pdeathsig", "KILL"]);
        var environment = new Dictionary<string, string>(command.Environment, StringComparer.Ordinal);
        if (_containment.RunAs is { } user)
        {
            if (_cgroup is not null)
                chain.Add("setpriv");
            chain.AddRange([$"--reuid={user.Uid}", $"--regid={user.Gid}", "--init-groups"]);
            // The runner's home is not the step's: git and agent CLIs read and write their settings there.
            environment["HOME"] = user.Home;
            environment["USER"] = user.Name;
            environment["LOGNAME"] = user.Name;
        }
        environment[StepContainment.CellVariable] = _marker;
        chain.AddRange(["setsid", "--wait", command.Program]);
        chain.AddRange(command.Arguments);

        var start = new ProcessStartInfo(chain[0])
        {
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        foreach (var argument in chain.Skip(1))
            start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>True while a process of the cell (or of the group <paramref name="pgid"/>, when given) is alive.</summary>
    internal bool HasLiveMembers(int? pgid) => (pgid is { } group && ProcessGroup.HasLiveMembers(group)) || Members().Count > 0;

    /// <summary>
    /// SIGTERM to the group <paramref name="pgid"/> and to every process of the cell (also those that left the group with
    /// setsid or a double fork), up to <paramref name="grace"/> for them to go, then SIGKILL for all that is left.
    /// </summary>
    internal async Task TerminateAsync(int pgid, TimeSpan grace)
    {
        if (!HasLiveMembers(pgid))
            return;
        ProcessGroup.Signal(-pgid, ProcessGroup.SigTerm);
        foreach (var pid in Members())
            ProcessGroup.Signal(pid, ProcessGroup.SigTerm);
        if (await ProcessGroup.GoneWithinAsync(() => HasLiveMembers(pgid), grace))
            return;
        ProcessGroup.Signal(-pgid, ProcessGroup.SigKill);
        await KillAsync();
    }

    /// <summary>SIGKILL for every process of the cell until none is left.</summary>
    internal async Task KillAsync()
    {
        if (_cgroup is not null)
        {
            await CgroupTree.KillAsync(_cgroup, KillWait);
            return;
        }
        // Without a cgroup a process may fork while we kill: look again until a look finds none.
        await ProcessGroup.GoneWithinAsync(() =>
        {
            var left = Members();
            foreach (var pid in left)
                ProcessGroup.Signal(pid, ProcessGroup.SigKill);
            return left.Count > 0;
        }, KillWait);
    }

    private List<int> Members() => _cgroup is not null ? CgroupTree.Members(_cgroup) : ProcFs.LiveWithEnvironment($"{StepContainment.CellVariable}={_marker}");

    /// <summary>Kills what is left of the step, removes its cgroup, and ends the cell for the flow that opened it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Flowing.Value == this)
            Flowing.Value = _outer;
        await KillAsync();
        if (_cgroup is not null)
            CgroupTree.Remove(_cgroup);
    }

    /// <inheritdoc />
    public override string ToString() => _cgroup ?? _marker;
}
