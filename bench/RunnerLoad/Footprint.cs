using System.Diagnostics;

namespace RunnerLoad;

/// <summary>
/// An agent's footprint: the size of <c>--size</c> (files, or the files of folders, not their subfolders, without debug symbols and docs),
/// its start-up (exec → exit of <c>PROGRAM --version-check</c>, which it refuses with its usage: the runtime's start and
/// exit, <c>--runs</c> times), exec → connected (the log line after the host's welcome, a fresh registration each
/// run) and its RSS once it has been idle and connected for <c>--idle</c> seconds.
/// </summary>
internal static class Footprint
{
    public static async Task<int> RunAsync(Options options, string[] program)
    {
        var runs = options.Int("runs", 10);
        var name = options["name"];
        using var api = new Api(options["api"], options["token"]);
        var size = options.Get("size", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Sum(SizeOf) / 1_000_000.0;

        var startups = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            using var refused = Start(program, ["--version-check", "1"]);
            await refused.WaitForExitAsync();
            startups.Add(watch.Elapsed.TotalMilliseconds);
        }

        var connects = new List<double>();
        double rss = 0, hwm = 0;
        var state = Directory.CreateTempSubdirectory("runner-load-footprint-");
        try
        {
            for (var i = 0; i < Math.Max(1, runs / 3); i++)
            {
                var token = (await api.PostAsync("/api/runners/tokens", new { description = $"footprint {name}" })).GetProperty("token").GetString()!;
                var dir = Path.Combine(state.FullName, $"{i}");
                var watch = Stopwatch.StartNew();
                using var agent = Start(program, ["--server", options["runner-url"], "--token", token, "--name", $"footprint-{name}-{i}", "--state-dir", dir, "--labels", "pool=footprint"]);
                var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                agent.OutputDataReceived += (_, line) =>
                {
                    if (line.Data?.Contains("Connected to", StringComparison.Ordinal) == true)
                        connected.TrySetResult();
                };
                agent.BeginOutputReadLine();
                agent.BeginErrorReadLine();
                await connected.Task.WaitAsync(TimeSpan.FromSeconds(60));
                connects.Add(watch.Elapsed.TotalMilliseconds);
                if (i == 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(options.Int("idle", 10)));
                    (rss, hwm) = (Stats.StatusMiB(agent.Id, "VmRSS"), Stats.StatusMiB(agent.Id, "VmHWM"));
                }
                Process.Start("kill", ["-TERM", $"{agent.Id}"])!.WaitForExit();
                await agent.WaitForExitAsync();
            }
        }
        finally
        {
            state.Delete(recursive: true);
        }
        startups.Sort();
        connects.Sort();
        Console.WriteLine($"| {name} | {(size > 0 ? $"{size:0.0} MB" : "")} | {Stats.Ms(Stats.Percentile(startups, 0.5))} ms (min {Stats.Ms(startups[0])}) | "
            + $"{Stats.Ms(Stats.Percentile(connects, 0.5))} ms (min {Stats.Ms(connects[0])}) | {rss:0.0} MiB | {hwm:0.0} MiB |");
        return 0;
    }

    private static Process Start(string[] program, string[] args)
    {
        var start = new ProcessStartInfo(program[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in program.Skip(1).Concat(args))
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    private static long SizeOf(string path) => File.Exists(path)
        ? new FileInfo(path).Length
        : Directory.EnumerateFiles(path)
            .Where(f => Path.GetExtension(f) is not (".pdb" or ".dbg" or ".xml"))
            .Sum(f => new FileInfo(f).Length);
}
