using Microsoft.Extensions.Hosting;

namespace LazyAf.Modules.Repos.Git;

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

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(repos.Root);
        Directory.CreateDirectory(repos.HooksDir);
        var hook = Path.Combine(repos.HooksDir, "post-receive");
        await File.WriteAllTextAsync(hook, PostReceiveHook, cancellationToken);
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
