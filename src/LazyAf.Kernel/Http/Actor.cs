using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Kernel.Http;

/// <summary>
/// Who did something through the API (moved a card, answered an approval): the authenticated user. A client may add
/// what it is in <c>X-LazyAF-Actor</c> (<c>cli</c>, <c>board</c>) as a label — <c>owner via board</c> — but never
/// speak for another user that way.
/// </summary>
public static partial class Actor
{
    /// <summary>The header a client labels itself with.</summary>
    public const string Header = "X-LazyAF-Actor";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9@._:-]{0,63}$")]
    private static partial Regex Pattern();

    /// <summary>The actor of a request: the user's name, with the client's label when it sent one.</summary>
    public static string Of(HttpContext http)
    {
        var user = http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "api";
        return http.Request.Headers[Header].ToString() is { Length: > 0 } label && Pattern().IsMatch(label) ? $"{user} via {label}" : user;
    }
}
