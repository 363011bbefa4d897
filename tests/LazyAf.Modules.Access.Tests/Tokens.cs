using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Access.Tests;

/// <summary>API tokens made through the host's own API with the owner's token, as <c>lazyaf token create</c> makes them.</summary>
internal static class Tokens
{
    public static async Task<(string Token, string Id)> CreateAsync(LazyAfHost host, IEnumerable<string> scopes, string? user = null, string name = "test")
    {
        var made = await (await host.Client.PostJsonAsync("/api/tokens", new { name, scopes = scopes.ToArray(), user })).JsonAsync(HttpStatusCode.Created);
        return (made.Str("token"), made.GetProperty("details").Str("id"));
    }
}
