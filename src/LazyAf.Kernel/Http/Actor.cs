using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Kernel.Http;

/// <summary>
/// Who did something through the API (moved a card, answered an approval): the client names itself in <c>X-LazyAF-Actor</c>
/// (<c>cli</c>, <c>board</c>, a user name); anything else, or nothing, is <c>api</c>.
/// </summary>
public static partial class Actor
{
    /// <summary>The header a client names itself in.</summary>
    public const string Header = "X-LazyAF-Actor";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9@._:-]{0,63}$")]
    private static partial Regex Pattern();

    /// <summary>The actor of a request.</summary>
    public static string Of(HttpContext http) =>
        http.Request.Headers[Header].ToString() is { Length: > 0 } named && Pattern().IsMatch(named) ? named : "api";
}
