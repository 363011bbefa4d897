using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RunnerLoad;

/// <summary>
/// Log latency, step print → <c>/ws</c> and → a follow client: a script step prints <c>--lines</c> lines, each with the
/// wall clock at the moment bash printed it (<c>$EPOCHREALTIME</c>), one every 5 ms; a <c>/ws</c> client on the
/// execution's topic stamps each <c>log.appended</c> event as it arrives, and at the same time a follow client
/// (<c>GET /api/executions/{id}/logs?follow=true</c>, NDJSON) stamps each chunk. Latency is arrival − print, per line,
/// both clocks this machine's. Zero loss: every line 1…N arrives exactly once and in order, on both.
/// </summary>
internal static class LogLatency
{
    public static async Task<int> RunAsync(Options options)
    {
        var lines = options.Int("lines", 2000);
        var name = options.Get("name", "executor");
        var requires = options.Get("requires", "") is { Length: > 0 } label ? new[] { label } : [];
        using var api = new Api(options["api"], options["token"]);
        // The pause lets the client subscribe before the first line.
        var command = $"sleep 2; for i in $(seq 1 {lines}); do echo \"L $i $EPOCHREALTIME\"; sleep 0.005; done";
        var execution = await api.StartScriptCardAsync(options["repo"], $"log latency on {name}", command, requires);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + api.Token);
        var ws = new UriBuilder(api.BaseAddress) { Scheme = "ws", Path = "/ws", Query = $"topics=execution:{execution}" }.Uri;
        await socket.ConnectAsync(ws, CancellationToken.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120 + lines / 50));
        var following = FollowAsync(api, execution, lines, deadline.Token);
        var received = new List<(long Line, double PrintedAt, double ArrivedAt)>(lines);
        var partial = new StringBuilder();
        string? state = null;
        var buffer = new byte[256 * 1024];
        while (state is not ("succeeded" or "failed" or "cancelled" or "timed_out"))
        {
            var message = await ReceiveAsync(socket, buffer, deadline.Token);
            var arrived = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
            using var json = JsonDocument.Parse(message);
            var type = json.RootElement.GetProperty("type").GetString();
            var payload = json.RootElement.GetProperty("payload");
            if (type == "execution.updated")
                state = payload.GetProperty("execution").GetProperty("state").GetString();
            if (type != "log.appended")
                continue;
            Take(payload.GetProperty("text").GetString()!, partial, arrived, received);
        }
        var followed = await following;
        var wsInOrder = Row($"{name}, /ws", state, lines, received);
        var followInOrder = Row($"{name}, follow (NDJSON)", state, lines, followed);
        return state == "succeeded" && wsInOrder && followInOrder ? 0 : 1;
    }

    // The follow client: the lines of each NDJSON chunk, stamped when the chunk's line is read.
    private static async Task<List<(long Line, double PrintedAt, double ArrivedAt)>> FollowAsync(Api api, string execution, int lines, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", api.Token);
        using var response = await http.GetAsync(new Uri(api.BaseAddress, $"/api/executions/{execution}/logs?follow=true"), HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var received = new List<(long Line, double PrintedAt, double ArrivedAt)>(lines);
        var partial = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } chunk)
        {
            var arrived = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
            using var json = JsonDocument.Parse(chunk);
            if (json.RootElement.GetProperty("stream").GetString() == "stdout")
                Take(json.RootElement.GetProperty("text").GetString()!, partial, arrived, received);
        }
        return received;
    }

    // Whole lines "L i t" out of text that may end mid-line; the rest waits in partial for the next text.
    private static void Take(string more, StringBuilder partial, double arrived, List<(long Line, double PrintedAt, double ArrivedAt)> received)
    {
        partial.Append(more);
        var text = partial.ToString();
        var end = text.LastIndexOf('\n');
        partial.Clear().Append(text[(end + 1)..]);
        foreach (var line in text[..(end + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3 && parts[0] == "L")
                received.Add((long.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture), arrived));
        }
    }

    private static bool Row(string name, string? state, int lines, List<(long Line, double PrintedAt, double ArrivedAt)> received)
    {
        var inOrder = received.Select(r => r.Line).SequenceEqual(Enumerable.Range(1, lines).Select(i => (long)i));
        var latencies = received.Select(r => (r.ArrivedAt - r.PrintedAt) * 1000).Order().ToList();
        var distinct = received.Select(r => r.Line).Distinct().Count();
        Console.WriteLine($"| {name} | {state} | {lines} | {received.Count} | {lines - distinct} / {received.Count - distinct} / {(inOrder ? "none" : "yes")} | "
            + $"{Stats.Ms(Stats.Percentile(latencies, 0.5))} | {Stats.Ms(Stats.Percentile(latencies, 0.99))} | {Stats.Ms(latencies.Count > 0 ? latencies[^1] : double.NaN)} |");
        return inOrder;
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(filled), ct);
            if (result.MessageType == WebSocketMessageType.Close)
                throw new InvalidOperationException($"the host closed /ws: {socket.CloseStatus} {socket.CloseStatusDescription}");
            filled += result.Count;
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(buffer, 0, filled);
            if (filled == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
        }
    }
}
