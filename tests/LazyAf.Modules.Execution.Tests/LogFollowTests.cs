using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

public sealed class LogFollowTests : IDisposable
{
    private const int Lines = 15;
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_follow_client_gets_each_line_as_it_is_stored_not_at_a_later_poll()
    {
        await using var host = LazyAfHost.Start();
        var runs = new CardRuns(host);
        var repo = await SeededRepo.CreateAsync(host, _work, "followed");
        // The step prints a line each time the test writes one into its pipe, so no line is printed before the last arrived.
        var pipe = Path.Combine(_work.Path, "lines");
        using (var mkfifo = Process.Start("mkfifo", pipe))
            await mkfifo.WaitForExitAsync();
        // One reader and one writer for the whole step: a pipe opened per line can be opened while the last line's writer
        // is still closing, and then read as an empty end of file.
        var card = await runs.CreateScriptCardAsync(repo.Id, $"echo reading-lines; exec 3< '{pipe}'; for i in $(seq {Lines}); do read line <&3; echo \"$line\"; done");
        var execution = await runs.StartAsync(card);
        await using var live = await LiveClient.ConnectAsync(host, topics: $"execution:{execution}", after: 0);

        using var follow = await host.Client.GetAsync($"/api/executions/{execution}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, follow.StatusCode);
        using var reader = new StreamReader(await follow.Content.ReadAsStreamAsync());
        await ReadUntilAsync(reader, "reading-lines");
        await using var lines = await OpenForWritingAsync(host, execution, pipe);

        // Per line: from the log.appended event on /ws (the append has committed) to the line on the follow answer.
        // A follow that polls every 200 ms would be ~150 ms behind here (each line is written just after it read the last).
        var behind = new List<double>();
        for (var i = 1; i <= Lines; i++)
        {
            var line = $"pushed-{i}";
            await lines.WriteAsync(line + "\n");
            await lines.FlushAsync();
            var followed = ReadUntilAsync(reader, line);
            var appended = NextAppendAsync(live, line);
            await Task.WhenAll(followed, appended);
            behind.Add((await followed - await appended).TotalMilliseconds);
        }

        behind.Sort();
        Assert.True(behind[Lines / 2] < 60, $"the follow answer was {behind[Lines / 2]:F1} ms (median) behind /ws: {string.Join(", ", behind.Select(b => b.ToString("F1")))}");
        // The answer ends by itself once the step has ended and every line is sent.
        while (await reader.ReadLineAsync() is not null)
        {
        }
        Assert.Equal("in_review", (await runs.SettledAsync(card)).Str("status"));
    }

    // Opening a pipe for writing waits for its reader: bounded, so a step that is not reading fails the test with its log.
    private static async Task<StreamWriter> OpenForWritingAsync(LazyAfHost host, string execution, string pipe)
    {
        try
        {
            return await Task.Run(() => new StreamWriter(new FileStream(pipe, FileMode.Open, FileAccess.Write))).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            var log = await host.Client.GetStringAsync($"/api/executions/{execution}/logs");
            throw new InvalidOperationException($"the step did not open its pipe; its log:\n{log}");
        }
    }

    private static async Task<DateTimeOffset> ReadUntilAsync(StreamReader reader, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (JsonDocument.Parse(line).RootElement.Str("text").Contains(text, StringComparison.Ordinal))
                return DateTimeOffset.UtcNow;
        }
        throw new InvalidOperationException($"the follow answer ended before '{text}'");
    }

    private static async Task<DateTimeOffset> NextAppendAsync(LiveClient live, string text)
    {
        while (true)
        {
            var message = await live.NextAsync();
            if (message.Str("type") == "log.appended" && message.GetProperty("payload").Str("text").Contains(text, StringComparison.Ordinal))
                return DateTimeOffset.UtcNow;
        }
    }
}
