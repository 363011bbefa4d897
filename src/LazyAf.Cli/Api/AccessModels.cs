namespace LazyAf.Cli.Api;

/// <summary>A user as <c>/api/users</c> shows it.</summary>
internal sealed record User(string Id, string Name, bool Owner, DateTimeOffset CreatedAt);

/// <summary>The body of <c>POST /api/users</c>.</summary>
internal sealed record CreateUserRequest(string Name);

/// <summary>A token as <c>/api/tokens</c> lists it (never its value).</summary>
internal sealed record Token(
    string Id, string User, string Kind, string Name, List<string> Scopes,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>The body of <c>POST /api/tokens</c>.</summary>
internal sealed record CreateTokenRequest(string Name, List<string> Scopes, string? User, int? ExpiresInDays);

/// <summary>A made token: its value, shown this once, and its details.</summary>
internal sealed record CreatedToken(string Token, Token Details);

/// <summary>A one-time login link for the board.</summary>
internal sealed record LoginLink(string Url, DateTimeOffset ExpiresAt);
