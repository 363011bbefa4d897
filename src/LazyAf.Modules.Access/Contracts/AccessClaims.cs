namespace LazyAf.Modules.Access.Contracts;

/// <summary>
/// Claims of an authenticated caller beyond its name (<c>ClaimsPrincipal.Identity.Name</c> is the user,
/// or <c>step:{execution}</c> for a step token).
/// </summary>
public static class AccessClaims
{
    /// <summary>One claim per scope the credential carries.</summary>
    public const string Scope = "lazyaf:scope";

    /// <summary><c>owner</c>, <c>api</c>, <c>session</c> or <c>step</c>.</summary>
    public const string Kind = "lazyaf:kind";

    /// <summary>The user's id (not for step tokens).</summary>
    public const string UserId = "lazyaf:user";

    /// <summary>The token's id (not for step tokens, which live only in memory).</summary>
    public const string TokenId = "lazyaf:token";

    /// <summary>Set when the credential came in the board's session cookie.</summary>
    public const string ViaCookie = "lazyaf:cookie";

    /// <summary>A step token's repo: the only one it reaches.</summary>
    public const string Repo = "lazyaf:repo";

    /// <summary>A step token's work branch: the only branch it may push.</summary>
    public const string PushBranch = "lazyaf:push-branch";
}
