using System.Diagnostics;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using LazyAf.Protocol.V1;

namespace RunnerLoad;

/// <summary>
/// 1,000 simulated runners holding streams: first the host idle for <c>--baseline</c> seconds after a <c>--warmup</c> (the
/// reference, same run),
/// then <c>--runners</c> runners connect (each its own HTTP/2 connection, as separate machines would; a hello, the
/// welcome, then a heartbeat at the interval the welcome gives) and hold their streams for <c>--hold</c> seconds while
/// the host's CPU and memory are read from <c>/proc</c>. Checks that every one is connected at the end and no stream ended.
/// </summary>
internal static class Fleet
{
    public static async Task<int> RunAsync(Options options)
    {
        var count = options.Int("runners", 1000);
        var hold = TimeSpan.FromSeconds(options.Int("hold", 60));
        var baseline = TimeSpan.FromSeconds(options.Int("baseline", 20));
        var pid = options.Int("pid", 0);
        using var api = new Api(options["api"], options["token"]);
        var token = (await api.PostAsync("/api/runners/tokens", new { description = "fleet bench", uses = 0, expires_in_minutes = 60 })).GetProperty("token").GetString()!;

        // The host's own start-up work (tiered JIT, its first sweeps) is over before the reference is taken.
        await Task.Delay(TimeSpan.FromSeconds(options.Int("warmup", 10)));
        var rows = new List<string> { Phase("idle, no runner (reference)", 0, await SampleAsync(pid, baseline)) };
        var runners = Enumerable.Range(0, count).Select(i => new SimulatedRunner(options["runner-url"], i)).ToList();
        var connecting = Stopwatch.StartNew();
        var cpuBefore = Stats.CpuSeconds(pid);
        var selfBefore = Stats.CpuSeconds(Environment.ProcessId);
        await Parallel.ForEachAsync(runners, new ParallelOptions { MaxDegreeOfParallelism = options.Int("parallel", 50) }, async (r, _) => await r.ConnectAsync(token));
        connecting.Stop();
        var connectCpu = Stats.CpuSeconds(pid) - cpuBefore;
        var selfConnect = Stats.CpuSeconds(Environment.ProcessId) - selfBefore;
        var welcomes = runners.Select(r => r.WelcomeMs).Order().ToList();

        var selfHold = Stats.CpuSeconds(Environment.ProcessId);
        rows.Add(Phase($"{count} runners holding streams, heartbeats every {runners[0].Interval.TotalSeconds:0} s", count, await SampleAsync(pid, hold)));
        selfHold = Stats.CpuSeconds(Environment.ProcessId) - selfHold;
        var listed = await api.GetAsync("/api/runners");
        var connected = listed.EnumerateArray().Count(r => r.GetProperty("connected").GetBoolean());
        var lost = runners.Count(r => r.Ended is not null);

        Console.WriteLine("| phase | runners | wall (s) | host CPU (s) | host CPU, % of one core | host RSS at the end (MiB) | host peak RSS (VmHWM, MiB) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine($"- connecting {count} runners, {options.Int("parallel", 50)} at a time: {connecting.Elapsed.TotalSeconds:0.0} s, host CPU {connectCpu:0.0} s; "
            + $"hello → welcome p50 {Stats.Ms(Stats.Percentile(welcomes, 0.5))} ms, p99 {Stats.Ms(Stats.Percentile(welcomes, 0.99))} ms, max {Stats.Ms(welcomes[^1])} ms");
        Console.WriteLine($"- connected at the end (GET /api/runners): {connected} of {count}; streams that ended early: {lost}"
            + (lost > 0 ? $" (first: {runners.First(r => r.Ended is not null).Ended})" : ""));
        Console.WriteLine($"- the load generator's own CPU: {selfConnect:0.0} s connecting, {selfHold:0.0} s holding");
        await Task.WhenAll(runners.Select(r => r.DisposeAsync().AsTask()));
        return connected == count && lost == 0 ? 0 : 1;
    }

    private static string Phase(string name, int runners, (double Wall, double Cpu, double Rss, double Hwm) s) =>
        $"| {name} | {runners} | {s.Wall:0.0} | {s.Cpu:0.00} | {s.Cpu / s.Wall * 100:0.0} % | {s.Rss:0} | {s.Hwm:0} |";

    private static async Task<(double Wall, double Cpu, double Rss, double Hwm)> SampleAsync(int pid, TimeSpan window)
    {
        var cpu = Stats.CpuSeconds(pid);
        var wall = Stopwatch.StartNew();
        await Task.Delay(window);
        return (wall.Elapsed.TotalSeconds, Stats.CpuSeconds(pid) - cpu, Stats.StatusMiB(pid, "VmRSS"), Stats.StatusMiB(pid, "VmHWM"));
    }

    /// <summary>One runner the bench speaks for: its own channel (connection), a hello, then heartbeats until disposed.</summary>
    private sealed class SimulatedRunner(string url, int index) : IAsyncDisposable
    {
        private readonly GrpcChannel _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            HttpVersion = HttpVersion.Version20,
        });
        private readonly CancellationTokenSource _stop = new();
        private AsyncDuplexStreamingCall<RunnerMessage, ServerMessage>? _call;
        private Task _running = Task.CompletedTask;

        public double WelcomeMs { get; private set; }

        public TimeSpan Interval { get; private set; }

        /// <summary>Why its stream ended before the bench closed it; null while it holds.</summary>
        public string? Ended { get; private set; }

        public async Task ConnectAsync(string registrationToken)
        {
            _call = new RunnerService.RunnerServiceClient(_channel).Connect(cancellationToken: _stop.Token);
            var hello = new Hello { Name = $"sim-{index}", Capacity = 1, Version = "runner-load/1", Credential = registrationToken };
            hello.Labels.Add("pool=simulated");
            hello.StepKinds.Add("script");
            var asked = Stopwatch.StartNew();
            await _call.RequestStream.WriteAsync(new RunnerMessage { Hello = hello });
            if (!await _call.ResponseStream.MoveNext(_stop.Token) || _call.ResponseStream.Current.Welcome is not { } welcome)
                throw new InvalidOperationException($"runner {index} got no welcome");
            WelcomeMs = asked.Elapsed.TotalMilliseconds;
            Interval = welcome.HeartbeatInterval.ToTimeSpan();
            _running = Task.WhenAll(HeartbeatAsync(), ReadAsync());
        }

        private async Task HeartbeatAsync()
        {
            // Spread over the interval, as runners that connected at different times would be.
            await Task.Delay(Interval * Random.Shared.NextDouble(), _stop.Token);
            using var timer = new PeriodicTimer(Interval);
            do
                await _call!.RequestStream.WriteAsync(new RunnerMessage { Heartbeat = new Heartbeat { SentAt = Timestamp.FromDateTime(DateTime.UtcNow) } });
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }

        private async Task ReadAsync()
        {
            try
            {
                while (await _call!.ResponseStream.MoveNext(_stop.Token))
                {
                }
                Ended = "the host ended the stream";
            }
            catch (RpcException e) when (!_stop.IsCancellationRequested)
            {
                Ended = $"{e.StatusCode}: {e.Status.Detail}";
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _running;
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException)
            {
            }
            _call?.Dispose();
            _channel.Dispose();
            _stop.Dispose();
        }
    }
}
