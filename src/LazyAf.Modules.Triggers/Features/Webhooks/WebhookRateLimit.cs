using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using LazyAf.Kernel.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Triggers.Features.Webhooks;

/// <summary>How fast one webhook token may be called (configuration section <c>Triggers:Webhooks</c>).</summary>
internal sealed class WebhookLimits
{
    public const string Section = "Triggers:Webhooks";

    /// <summary>Deliveries a token may make at once after a quiet spell.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1")]
    public int Burst { get; set; } = 20;

    /// <summary>Deliveries a token regains per second.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1")]
    public int PerSecond { get; set; } = 5;
}

/// <summary>
/// A token bucket per webhook token: a flood to one URL is refused with 429 and <c>Retry-After</c> before it
/// reads a body or touches the database, so the host keeps answering everything else.
/// </summary>
internal sealed class WebhookRateLimit(IOptions<WebhookLimits> options) : IRateLimiterPolicy<string>
{
    public const string Policy = "webhooks";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limits = options.Value;
        return RateLimitPartition.GetTokenBucketLimiter(httpContext.Request.RouteValues["token"]?.ToString() ?? "", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = limits.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many deliveries",
            detail: $"This webhook takes at most {options.Value.PerSecond} deliveries a second; retry after {seconds} s.",
            type: Problems.TypeUri("rate-limited")).ExecuteAsync(context.HttpContext);
    }
}
