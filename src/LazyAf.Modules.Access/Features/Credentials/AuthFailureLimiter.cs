using System.Threading.RateLimiting;
using LazyAf.Modules.Access.Domain;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Access.Features.Credentials;

/// <summary>
/// Failed authentications per client address in a fixed window (<c>Security:AuthFailureLimit</c> per
/// <c>Security:AuthFailureWindow</c>); past the limit that address gets 429 until the window ends, even with a
/// good token, so guessing costs time. A request without any credential is no failure.
/// </summary>
internal sealed class AuthFailureLimiter(IOptions<AccessOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.AuthFailureLimit,
            Window = options.Value.AuthFailureWindow,
            QueueLimit = 0,
        }));

    /// <summary>How long <paramref name="address"/> must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string address)
    {
        // Zero permits asks whether any are left without spending one.
        using var probe = _failures.AttemptAcquire(address, 0);
        return probe.IsAcquired ? null : RetryAfterOf(probe);
    }

    /// <summary>Counts a failure; returns how long to wait when it used the last one.</summary>
    public TimeSpan? RecordFailure(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
        return lease.IsAcquired ? null : RetryAfterOf(lease);
    }

    private TimeSpan RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Value.AuthFailureWindow;

    public void Dispose() => _failures.Dispose();
}
