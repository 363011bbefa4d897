using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Debug.Domain;

/// <summary>
/// Relays one terminal between a WebSocket and an <see cref="IStepTerminal"/> (a shell here or on a remote runner). From the client: binary frames are
/// typed bytes; text frames are JSON, <c>{"type":"input","data":"…"}</c> or <c>{"type":"resize","cols":C,"rows":R}</c>.
/// To the client: the terminal's output as binary frames (bytes as they come, also when not UTF-8), then one text frame,
/// <c>{"type":"exit","code":N}</c> when the shell exits or <c>{"type":"closed","reason":"…"}</c> when the session ends
/// or the terminal ended otherwise (its runner was lost),
/// and the socket is closed.
/// </summary>
internal static class TerminalRelay
{
    private const int MaxControlBytes = 64 * 1024;

    // How long the client gets to answer the closing handshake before the socket is dropped.
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(WebSocket socket, IStepTerminal terminal, Task<string> lost, SessionTerminals.Closing closing, CancellationToken ct)
    {
        // Cancelling a WebSocket's send or receive aborts the socket, so the pumps are never cancelled while the socket
        // is to close cleanly: the output pump sends under a gate and stops at the end frame; the input pump ends on the
        // client's close.
        var sending = new Sending();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var output = PumpOutputAsync(socket, terminal, sending, abort.Token);
        var input = PumpInputAsync(socket, terminal, abort.Token);
        var ended = terminal.Ended;
        await Task.WhenAny(output, input, ended, lost, closing.Closed);
        if (ended.IsCompletedSuccessfully)
        {
            // What the shell printed last is still on its way.
            await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
        }
        var message = ended.IsCompletedSuccessfully && ended.Result.ExitCode is { } code
            ? JsonSerializer.Serialize(new { type = "exit", code })
            : JsonSerializer.Serialize(new { type = "closed", reason = Reason(ended, lost, closing) });
        await sending.Gate.WaitAsync(CancellationToken.None);
        try
        {
            sending.Finished = true;
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The client is gone already.
        }
        finally
        {
            sending.Gate.Release();
        }
        await Task.WhenAny(input, Task.Delay(CloseWait, CancellationToken.None));
        await abort.CancelAsync();
    }

    private static string Reason(Task<StepTerminalEnd> ended, Task<string> lost, SessionTerminals.Closing closing) =>
        closing.Closed.IsCompleted ? closing.Closed.Result
        : lost.IsCompleted ? lost.Result
        : ended.IsCompletedSuccessfully && ended.Result.Reason is { } reason ? reason
        : "the terminal closed";

    private static async Task PumpOutputAsync(WebSocket socket, IStepTerminal terminal, Sending sending, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await terminal.ReadAsync(buffer, ct)) > 0)
            {
                await sending.Gate.WaitAsync(ct);
                try
                {
                    if (sending.Finished)
                        return;
                    await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, true, CancellationToken.None);
                }
                finally
                {
                    sending.Gate.Release();
                }
            }
        }
        catch (WebSocketException)
        {
            // The client went away.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task PumpInputAsync(WebSocket socket, IStepTerminal terminal, CancellationToken ct)
    {
        var buffer = new byte[MaxControlBytes];
        try
        {
            while (true)
            {
                var filled = 0;
                ValueWebSocketReceiveResult frame;
                do
                {
                    if (filled == buffer.Length)
                        return; // A message larger than any control message or paste this relay takes.
                    frame = await socket.ReceiveAsync(buffer.AsMemory(filled), ct);
                    filled += frame.Count;
                } while (!frame.EndOfMessage);
                if (frame.MessageType == WebSocketMessageType.Close)
                    return;
                if (frame.MessageType == WebSocketMessageType.Binary)
                    await terminal.WriteAsync(buffer.AsMemory(0, filled), ct);
                else
                    await ControlAsync(terminal, buffer.AsMemory(0, filled), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
            // The client went away without a close.
        }
    }

    private static async Task ControlAsync(IStepTerminal terminal, ReadOnlyMemory<byte> json, CancellationToken ct)
    {
        TerminalFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize<TerminalFrame>(json.Span, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return; // Not a frame this relay knows; a terminal ignores what it cannot read.
        }
        switch (frame)
        {
            case { Type: "input", Data: { } data }:
                await terminal.WriteAsync(Encoding.UTF8.GetBytes(data), ct);
                break;
            case { Type: "resize", Cols: > 0 and <= ushort.MaxValue, Rows: > 0 and <= ushort.MaxValue }:
                terminal.Resize((ushort)frame.Cols, (ushort)frame.Rows);
                break;
        }
    }

    private sealed record TerminalFrame(string? Type, string? Data, int Cols, int Rows);

    /// <summary>One sender at a time on the socket; after the end frame, none.</summary>
    private sealed class Sending
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool Finished { get; set; }
    }
}
