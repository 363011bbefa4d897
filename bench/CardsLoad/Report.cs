using System.Globalization;
using System.Text;

namespace CardsLoad;

/// <summary>Where the machine stood after a phase: the host's memory and the CPU time spent so far.</summary>
internal sealed record Snapshot(string Phase, (double PeakMiB, double NowMiB)? Memory, TimeSpan Wall, double MachineMs, double? HostMs, double SelfMs);

/// <summary>
/// The Markdown report: seeding, list latency, fan-out, and per phase the host's memory and who
/// used the CPU (on a shared machine, "rest" shows whether something else competed).
/// </summary>
internal sealed class Report(Options options, HostUnderTest host)
{
    private readonly List<Snapshot> _snapshots = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Records the state at the end of <paramref name="phase"/>.</summary>
    public void Snapshot(string phase) => _snapshots.Add(new Snapshot(phase, host.Memory(), _clock.Elapsed,
        HostUnderTest.MachineBusyMilliseconds(), host.CpuMilliseconds(), Environment.CpuUsage.TotalTime.TotalMilliseconds));

    public string Markdown(SeedResult seed, IReadOnlyList<ListResult> lists, IReadOnlyList<FanOutResult> fanOuts)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

        Line(F($"## Seeding ({seed.Board.RepoIds.Count} repos x {options.CardsPerRepo} cards = {seed.Board.Cards:#,0})"));
        Line();
        Line("| what | value |");
        Line("|---|---|");
        Line(F($"| `POST /api/repos` ({seed.Board.RepoIds.Count}, one at a time) | {seed.RepoTime.TotalMilliseconds / seed.Board.RepoIds.Count:0.0} ms each |"));
        Line(F($"| `POST /api/repos/{{id}}/cards` ({seed.Board.Cards:#,0}, {seed.Concurrency} at a time) | {seed.CardTime.TotalSeconds:0.0} s, **{Stats.Rate(seed.Board.Cards / seed.CardTime.TotalSeconds)} cards/s** |"));
        Line($"| card POST latency p50 / p95 / p99 / max (ms) | {seed.CardPosts.Summary(50, 95, 99)} |");
        Line();

        Line(F($"## `GET /api/repos/{{id}}/cards` pages ({options.CardsPerRepo} cards per repo, requests round-robin over every page of the {seed.Board.RepoIds.Count} repos)"));
        Line();
        Line("The static reference is the first page's bytes as a file, served by the same host's static-file middleware.");
        Line();
        Line("| what | concurrency | requests | p50 / p95 / p99 / max (ms) | requests/s | host CPU per request (ms) | body (KiB) | host RSS after (MiB) |");
        Line("|---|---|---|---|---|---|---|---|");
        foreach (var l in lists)
            Line(F($"| {l.What} | {l.Concurrency} | {l.Latency.Count:#,0} | {l.Latency.Summary(50, 95, 99)} | {Stats.Rate(l.RequestsPerSecond)} | {Per(l.HostCpuMs, l.Latency.Count)} | {l.BodyBytes / 1024.0:0} | {l.HostRssMiB:0} |"));
        Line();

        Line(F($"## Live events: fan-out of `card.updated` to {options.Subscribers} WebSocket subscribers ({options.Updates:#,0} PATCHes, {options.PatchConcurrency} at a time)"));
        Line();
        Line("| | " + string.Join(" | ", fanOuts.Select(Title)) + " |");
        Line("|---|" + string.Concat(fanOuts.Select(_ => "---|")));
        Row("latency from `at` to each subscriber, p50 / p99 / max (ms)", f => f.FromAt.Summary(50, 99));
        Row("latency from `at` to the last of all subscribers, p50 / p99 / max (ms)", f => f.AllFromAt.Summary(50, 99));
        Row("latency from the PATCH's response to each subscriber, p50 / p99 / max (ms)", f => f.FromResponse.Summary(50, 99));
        Row("PATCH latency p50 / p99 / max (ms)", f => f.Patch.Summary(50, 99));
        Row("PATCHes/s", f => Stats.Rate(f.PatchesPerSecond));
        Row("events delivered/s (all subscribers, first PATCH to last receipt)", f => Stats.Rate(f.DeliveriesPerSecond));
        Row("host CPU per event (ms)", f => Per(f.Costs.HostCpuMs, f.Updates));
        Row("connecting the subscribers (ms)", f => Stats.Ms(f.Costs.Connect.TotalMilliseconds));
        Row("subscribers with every event exactly once, in id order", f => F($"{f.Complete} / {f.Subscribers}"));
        Row("missing / duplicate / out-of-order / foreign-topic deliveries", f => F($"{f.Missing} / {f.Duplicates} / {f.OutOfOrder} / {f.Decoys}"));
        Row("streams ended by the host", f => f.EndedEarly.Count == 0 ? "none" : string.Join("; ", f.EndedEarly));
        Line();

        Line("## Host memory and CPU by phase");
        Line();
        Line(F($"CPU seconds; {Environment.ProcessorCount} cores, so a phase of w seconds has 2w to give. \"Rest\" is the machine's busy time less the host's and the load generator's: other processes, and interrupts."));
        Line();
        Line("| after | peak RSS (VmHWM, MiB) | RSS (VmRSS, MiB) | wall (s) | host CPU (s) | load generator CPU (s) | rest (s) |");
        Line("|---|---|---|---|---|---|---|");
        for (var i = 0; i < _snapshots.Count; i++)
        {
            var (now, before) = (_snapshots[i], i > 0 ? _snapshots[i - 1] : null);
            var memory = now.Memory is { } m ? F($"{m.PeakMiB:0} | {m.NowMiB:0}") : "n/a | n/a";
            if (before is null)
            {
                Line($"| {now.Phase} | {memory} | | | | |");
                continue;
            }
            var hostCpu = now.HostMs - before.HostMs;
            var self = now.SelfMs - before.SelfMs;
            // Three counters read at slightly different moments, in 10 ms ticks: a few ticks either way is noise.
            var rest = Math.Max(0, now.MachineMs - before.MachineMs - (hostCpu ?? 0) - self);
            Line(F($"| {now.Phase} | {memory} | {(now.Wall - before.Wall).TotalSeconds:0.0} | {hostCpu / 1000:0.0} | {self / 1000:0.0} | {rest / 1000:0.0} |"));
        }
        return md.ToString();

        void Row(string label, Func<FanOutResult, string> cell) => Line($"| {label} | " + string.Join(" | ", fanOuts.Select(cell)) + " |");
    }

    private static string Title(FanOutResult f) => f.Variant.Topic is null
        ? "no topic filter (renames spread over all repos)"
        : "one repo's topic (renames in that repo; 1 in 10 followed by a decoy elsewhere)";

    private static string Per(double? total, int count) => total is { } t ? (t / count).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
