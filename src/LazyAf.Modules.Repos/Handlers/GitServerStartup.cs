using LazyAf.Modules.Repos.Domain;
using LazyAf.Modules.Repos.Features.GitSmartHttp;
using Microsoft.Extensions.Hosting;

namespace LazyAf.Modules.Repos.Handlers;

/// <summary>
/// Before the web server takes requests: the repo store and the shared hooks directory exist.
/// Before it takes requests, too: ref changes left unrecorded by a crash are recorded.
/// </summary>
internal sealed class GitServerStartup(BareRepositories repos, RefChangeRecorder recorder) : IHostedLifecycleService
{
    // reference-transaction runs inside every ref update git makes: "prepared" with the refs locked, before they move
    // (a failed write here aborts the update), "committed" after. Its stdin has one "old new ref" line per ref.
    private const string ReferenceTransactionHook = $$"""
        #!/bin/sh
        # Installed by LazyAF: writes down each ref change before git makes it and once it is made, so the host records it.
        [ -z "${{{RefChangeRecorder.JournalVariable}}}" ] && exec cat > /dev/null
        case "$1" in
            prepared) exec cat >> "${{{RefChangeRecorder.JournalVariable}}}.prepared" ;;
            committed) exec cat >> "${{{RefChangeRecorder.JournalVariable}}}" ;;
            *) exec cat > /dev/null ;;
        esac

        """;

    // pre-receive sees every ref a push wants to update and can refuse the whole push, with its stderr shown to the pusher.
    private const string PreReceiveHook = $$"""
        #!/bin/sh
        # Installed by LazyAF: a push made with a step's token may update only that step's work branch.
        [ -z "${{{GitServiceRun.PushOnlyVariable}}}" ] && exit 0
        while read old new ref; do
            if [ "$ref" != "${{{GitServiceRun.PushOnlyVariable}}}" ]; then
                echo "lazyaf: this step's token may push only ${{{GitServiceRun.PushOnlyVariable}}#refs/heads/}, not ${ref#refs/heads/}" >&2
                exit 1
            fi
        done
        exit 0

        """;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(repos.Root);
        Directory.CreateDirectory(repos.HooksDir);
        await WriteHookAsync("reference-transaction", ReferenceTransactionHook, cancellationToken);
        // Hosts before the reference-transaction hook recorded pushes from post-receive.
        File.Delete(Path.Combine(repos.HooksDir, "post-receive"));
        await WriteHookAsync("pre-receive", PreReceiveHook, cancellationToken);
    }

    private async Task WriteHookAsync(string name, string script, CancellationToken ct)
    {
        var hook = Path.Combine(repos.HooksDir, name);
        await File.WriteAllTextAsync(hook, script, ct);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public Task StartAsync(CancellationToken cancellationToken) => recorder.RecoverAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
