using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Access.Features.Credentials;

/// <summary>
/// The token a request carries: <c>Authorization: Bearer TOKEN</c>, <c>Basic</c> with the token as the password
/// (any user name, as git sends it) or as the user name with no password (<c>curl -u TOKEN:</c>), else the board's cookie.
/// </summary>
/// <param name="Token">The token, or null when the header is there but unreadable.</param>
/// <param name="ViaCookie">It came in the session cookie.</param>
internal sealed record PresentedCredential(string? Token, bool ViaCookie)
{
    public static PresentedCredential? From(HttpRequest request)
    {
        var headers = request.Headers.Authorization;
        if (headers.Count > 0)
            return new PresentedCredential(headers.Count == 1 ? FromHeader(headers.ToString()) : null, ViaCookie: false);
        return SessionCookie.Read(request) is { } cookie ? new PresentedCredential(cookie, ViaCookie: true) : null;
    }

    private static string? FromHeader(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || string.IsNullOrEmpty(parsed.Parameter))
            return null;
        if (parsed.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return parsed.Parameter;
        if (!parsed.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(parsed.Parameter));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                return null;
            var password = pair[(colon + 1)..];
            return password.Length > 0 ? password : pair[..colon] is { Length: > 0 } user ? user : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
