namespace LazyAf.Modules.Access.Domain;

/// <summary>Where a credential comes from.</summary>
internal static class TokenKinds
{
    /// <summary>The owner's token, kept in the data directory.</summary>
    public const string Owner = "owner";

    /// <summary>Made through <c>POST /api/tokens</c>.</summary>
    public const string Api = "api";

    /// <summary>A board login (the session cookie).</summary>
    public const string Session = "session";

    /// <summary>A step execution's short-lived token (memory only).</summary>
    public const string Step = "step";
}
