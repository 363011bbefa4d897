using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf debug shell SID [--mode shell|sidecar]</c>: this terminal on the session's shell over its WebSocket, in raw
/// mode when stdin is a terminal; piped stdin is typed in as it comes, and its end is a Ctrl-D. A line typed as
/// <c>@resume</c>, <c>@abort</c>, <c>@status</c> or <c>@extend</c> is not sent: the CLI does it (<see cref="InBandCommands"/>).
/// Exits with the shell's exit code, or 0 once <c>@resume</c> or <c>@abort</c> ended the session.
/// </summary>
internal static class DebugShellCommand
{
    public const string InBandHelp =
        "In-band commands, typed at the start of a line and ended by Enter (not sent to the shell): @status (the session's state, step and time left), " +
        "@extend (more time; prints the new deadline), @resume (end the session, the run goes on), @abort (end it, the run is cancelled); " +
        "after @resume or @abort the shell ends and the CLI exits 0. @@ types one @; any other @word goes to the shell as typed.";

    public static Command Create(CliContext context, ServerOptions server)
    {
        var session = DebugCommand.SessionArgument();
        var mode = new Option<string>("--mode") { Description = "shell: in the paused step's environment; sidecar: a helper next to it with the workspace mounted", DefaultValueFactory = _ => "shell" };
        mode.AcceptOnlyFromAmong("shell", "sidecar");
        var command = new Command("shell", "Attach this terminal to the debug session's shell (in the paused step's workspace); exits with the shell's code. " + InBandHelp) { session, mode };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await DebugCommand.ResolveSessionAsync(api, parse.GetValue(session)!, ct);
            var token = await api.CreateTerminalTokenAsync(id, ct) ?? throw DebugCommand.SessionNotFound(id);
            var (cols, rows) = context.InputIsTerminal ? TerminalSize() : (80, 24);
            var chosen = parse.GetValue(mode)!;
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(api.WebSocketUri($"{token.Url}&mode={chosen}&cols={cols}&rows={rows}"), ct);
            }
            catch (WebSocketException e)
            {
                // The host answers 400 for a mode it does not know: for sidecar, a host without sidecar terminals.
                throw new CliFailure($"the {chosen} terminal of debug session {id} did not open: " + (socket.HttpStatusCode is var status && status != 0
                    ? $"the host answered {(int)status} {status}" + (chosen == "sidecar" && status == HttpStatusCode.BadRequest ? " (it does not offer sidecar terminals)" : "")
                    : e.Message));
            }
            using var shell = new AttachedShell(api, id, socket, context);
            TerminalEnd? end;
            using (context.InputIsTerminal ? RawMode.Enter() : null)
            {
                // Reading stdin cannot be cancelled everywhere: the pump is left behind when the shell ends.
                _ = shell.PumpInputAsync(ct);
                end = await PumpOutputAsync(socket, shell, ct);
            }
            var endedByCommand = await shell.EndedByCommandAsync();
            return end switch
            {
                { Type: "exit", Code: { } code } => code,
                _ when endedByCommand => 0,
                { Reason: { } reason } => throw new CliFailure($"the terminal closed: {reason}"),
                _ => throw new CliFailure("the terminal closed without saying why"),
            };
        });
        return command;
    }

    // A pseudo-terminal nobody sized says 0 by 0: the shell gets the usual 80 by 24 then.
    private static (int Cols, int Rows) TerminalSize()
    {
        try
        {
            return Console.WindowWidth > 0 && Console.WindowHeight > 0 ? (Console.WindowWidth, Console.WindowHeight) : (80, 24);
        }
        catch (IOException)
        {
            return (80, 24);
        }
    }

    /// <summary>Writes the shell's output until its last frame, which it returns; null when the socket closed without one.</summary>
    private static async Task<TerminalEnd?> PumpOutputAsync(ClientWebSocket socket, AttachedShell shell, CancellationToken ct)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var text = new MemoryStream();
        while (true)
        {
            var frame = await socket.ReceiveAsync(buffer, ct);
            switch (frame.MessageType)
            {
                case WebSocketMessageType.Close:
                    return null;
                case WebSocketMessageType.Binary:
                    // Output in UTF-8 may split a character across frames: the decoder keeps the part.
                    var count = decoder.GetChars(buffer, 0, frame.Count, chars, 0, flush: false);
                    await shell.WriteAsync(chars.AsMemory(0, count), ct);
                    break;
                default:
                    text.Write(buffer, 0, frame.Count);
                    if (!frame.EndOfMessage)
                        break;
                    var end = JsonSerializer.Deserialize(text.ToArray(), DebugJson.Default.TerminalEnd);
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return end;
            }
        }
    }

    /// <summary>The local terminal in raw mode (keys go to the remote shell as typed, no local echo) until disposed.</summary>
    private sealed class RawMode : IDisposable
    {
        private readonly string _saved;

        private RawMode(string saved) => _saved = saved;

        public static RawMode Enter()
        {
            var saved = Stty("-g").Trim();
            Stty("raw", "-echo");
            return new RawMode(saved);
        }

        public void Dispose() => Stty(_saved);

        // stty is pointed at the terminal rather than inheriting it: .NET puts back the terminal settings it knows of
        // when a child that shares the terminal exits, which would undo raw mode at once. All three streams redirected,
        // the child does not share it.
        private static string Stty(params string[] args)
        {
            var start = new ProcessStartInfo("stty") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? "-f" : "-F");
            start.ArgumentList.Add("/dev/tty");
            foreach (var arg in args)
                start.ArgumentList.Add(arg);
            using var stty = Process.Start(start) ?? throw new CliFailure("stty could not start: the terminal cannot go into raw mode");
            stty.StandardInput.Close();
            var said = stty.StandardOutput.ReadToEnd();
            stty.WaitForExit();
            return stty.ExitCode == 0 ? said : throw new CliFailure($"stty {string.Join(' ', args)} failed: the terminal cannot go into raw mode");
        }
    }
}
