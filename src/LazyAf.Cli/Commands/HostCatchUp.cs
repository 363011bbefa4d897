using System.Diagnostics;

namespace LazyAf.Cli.Commands;

/// <summary>
/// Waiting for what the host does by itself moments after a change (creating an execution from a durable request, a card
/// following its execution's end): <c>-f</c> asks until it has happened, bounded only against a stuck host.
/// </summary>
internal static class HostCatchUp
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Asks <paramref name="probe"/> until it answers; a <see cref="CliFailure"/> saying <paramref name="late"/> when it has not in time.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string late, CancellationToken ct) where T : class
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } answer)
                return answer;
            if (waited.Elapsed > Within)
                throw new CliFailure($"{late} within {Within.TotalSeconds:0} s");
            await Task.Delay(Poll, ct);
        }
    }
}
