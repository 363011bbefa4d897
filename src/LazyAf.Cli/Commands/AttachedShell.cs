using System.Net.WebSockets;
using System.Text;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary>
/// The local side of <c>lazyaf debug shell</c>: what is typed goes to the session's terminal, except the in-band
/// commands (<see cref="InBandCommands"/>), which it does through the API, each answered by one line here. In raw mode
/// a command being typed is echoed locally (the remote shell never sees it) and taken back when it turns out not to be one.
/// </summary>
internal sealed class AttachedShell(ApiClient api, string sessionId, ClientWebSocket socket, CliContext context) : IDisposable
{
    private const byte EndOfInput = 0x04;
    private readonly InBandCommands _commands = new();
    private readonly SemaphoreSlim _screen = new(1, 1);
    private readonly string _newLine = context.InputIsTerminal ? "\r\n" : "\n";
    private string _shown = "";

    private readonly TaskCompletionSource<bool> _ending = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _endAsked;

    // True once @resume or @abort ended the session: the terminal closing is then expected.
    private volatile bool _ended;

    /// <summary>
    /// After the terminal closed: whether an <c>@resume</c> or <c>@abort</c> closed it, once its answer is printed (the
    /// host closes the terminal before it answers).
    /// </summary>
    public Task<bool> EndedByCommandAsync() => _endAsked ? _ending.Task : Task.FromResult(false);

    public void Dispose() => _screen.Dispose();

    /// <summary>Writes the shell's output.</summary>
    public async Task WriteAsync(ReadOnlyMemory<char> text, CancellationToken ct)
    {
        await _screen.WaitAsync(ct);
        try
        {
            await context.Output.WriteAsync(text, ct);
            await context.Output.FlushAsync(ct);
        }
        finally
        {
            _screen.Release();
        }
    }

    /// <summary>Types stdin into the terminal until it ends (then a Ctrl-D) or the terminal does.</summary>
    public async Task PumpInputAsync(CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await context.InputStream.ReadAsync(buffer, ct)) > 0)
            {
                foreach (var part in _commands.Read(buffer.AsSpan(0, read)))
                {
                    if (part.Command is { } command)
                    {
                        await ShowAsync("@" + command, ct);
                        await RunAsync(command, ct);
                        if (_ended)
                            return; // What was typed after @resume or @abort has no shell left to go to.
                        continue;
                    }
                    await ShowAsync("", ct);
                    await socket.SendAsync(part.Bytes, WebSocketMessageType.Binary, true, ct);
                }
                await ShowAsync(_commands.Pending, ct);
            }
            await socket.SendAsync(Encoding.ASCII.GetBytes(_commands.Pending).Append(EndOfInput).ToArray(), WebSocketMessageType.Binary, true, ct);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The terminal ended first: nothing more to type into.
        }
    }

    private async Task RunAsync(string command, CancellationToken ct)
    {
        string line;
        try
        {
            line = $"lazyaf @{command}: " + command switch
            {
                "status" => Status(await api.FindDebugSessionAsync(sessionId, ct) ?? throw DebugCommand.SessionNotFound(sessionId)),
                "extend" => "extended; " + Status(await api.ExtendDebugSessionAsync(sessionId, ct) ?? throw DebugCommand.SessionNotFound(sessionId)),
                _ => await EndAsync(command, ct),
            };
        }
        catch (CliFailure e)
        {
            line = $"lazyaf: @{command}: {e.Message}";
        }
        await _screen.WaitAsync(ct);
        try
        {
            // In raw mode the typed command is on the screen: its answer goes on the next line.
            await context.Output.WriteAsync((_shown.Length > 0 ? _newLine : "") + line + _newLine);
            await context.Output.FlushAsync(ct);
            _shown = "";
        }
        finally
        {
            _screen.Release();
        }
        if (_endAsked)
            _ending.TrySetResult(_ended);
    }

    private async Task<string> EndAsync(string action, CancellationToken ct)
    {
        _endAsked = true;
        DebugSession ended;
        try
        {
            ended = await api.ActOnDebugSessionAsync(sessionId, action, ct) ?? throw DebugCommand.SessionNotFound(sessionId);
        }
        catch (CliFailure)
        {
            _endAsked = false;
            throw;
        }
        _ended = true;
        return $"debug session {ended.Id} is {ended.State}" + (ended.EndReason is { } why ? $": {why}" : "");
    }

    private static string Status(DebugSession session)
    {
        var left = session.ExpiresAt - DateTimeOffset.UtcNow;
        var time = left > TimeSpan.Zero ? $"{(int)left.TotalMinutes}m{left.Seconds:00}s left (until {session.ExpiresAt:u})" : "no time left";
        return $"session {session.Id} {session.State}, {(session.AfterFailure ? "after failed" : "before")} step {session.StepId}, {time}";
    }

    /// <summary>Makes the locally echoed command being typed read <paramref name="pending"/> (raw mode only: a pipe is not shown).</summary>
    private async Task ShowAsync(string pending, CancellationToken ct)
    {
        if (!context.InputIsTerminal || pending == _shown)
            return;
        var same = 0;
        while (same < Math.Min(pending.Length, _shown.Length) && pending[same] == _shown[same])
            same++;
        var edit = string.Concat(Enumerable.Repeat("\b \b", _shown.Length - same)) + pending[same..];
        _shown = pending;
        await WriteAsync(edit.AsMemory(), ct);
    }
}
