namespace LazyAf.Modules.Access.Domain;

/// <summary>The <c>Security</c> settings.</summary>
internal sealed class AccessOptions
{
    public const string Section = "Security";

    /// <summary>Host names (besides loopback ones) the host answers to: its public names in exposed mode.</summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Origins (besides the host's own) whose pages may write and open <c>/ws</c>, e.g. a board dev server.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Failed authentications one address may make per <see cref="AuthFailureWindow"/> before it gets 429.</summary>
    public int AuthFailureLimit { get; set; } = 10;

    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a login link works (once).</summary>
    public TimeSpan LoginCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a board login lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The first setting that is out of range, as one line, or null.</summary>
    public string? Problem() =>
        AuthFailureLimit < 1 ? "Security:AuthFailureLimit must be at least 1"
        : AuthFailureWindow <= TimeSpan.Zero ? "Security:AuthFailureWindow must be positive"
        : LoginCodeLifetime <= TimeSpan.Zero ? "Security:LoginCodeLifetime must be positive"
        : SessionLifetime <= TimeSpan.Zero ? "Security:SessionLifetime must be positive"
        : null;
}
