using LazyAf.Modules.Repos.Domain;
using LazyAf.Modules.Repos.Features.GitSmartHttp;
using Microsoft.Extensions.Hosting;

namespace LazyAf.Modules.Repos.Handlers;

/// <summary>
/// Before the web server takes requests: the repo store and the shared hooks directory exist.
/// Once the host runs: pushes left unrecorded by a crash are recorded.
/// </summary>
internal sealed class GitServerStartup(BareRepositories repos, PushRecorder recorder) : IHostedLifecycleService
{
    // post-receive runs only for refs receive-pack accepted, with "old new ref" lines on stdin.
    private const string PostReceiveHook = $$"""
        #!/bin/sh
        # Installed by LazyAF: hands the ref updates of an accepted push back to the host.
        if [ -n "${{{PushRecorder.LogPathVariable}}}" ]; then
            cat >> "${{{PushRecorder.LogPathVariable}}}"
        fi

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
        await WriteHookAsync("post-receive", PostReceiveHook, cancellationToken);
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
