using System.Globalization;

namespace LazyAf.Client;

/// <summary>Why a request to LazyAF got no answer at all, in the one line a client (the CLI, a tool error) shows for it.</summary>
public static class NoAnswer
{
    /// <summary>The line for <paramref name="exception"/> (unreachable, failed on the way, timed out), or null when it is no such failure.</summary>
    public static string? Describe(Exception exception, string server, TimeSpan timeout) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } =>
            $"cannot reach LazyAF at {server} (is it running?)",
        HttpRequestException failed => $"request to LazyAF at {server} failed: {failed.Message}",
        TaskCanceledException { InnerException: TimeoutException } =>
            string.Create(CultureInfo.InvariantCulture, $"LazyAF at {server} did not answer within {timeout.TotalSeconds:0} s"),
        _ => null,
    };
}
