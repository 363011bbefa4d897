using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Cards.Features;

/// <summary>
/// Who a card's history says moved it: the client names itself in <c>X-LazyAF-Actor</c>
/// (<c>cli</c>, <c>board</c>, a user name); anything else, or nothing, is <c>api</c>.
/// </summary>
internal static partial class Actor
{
    public const string Header = "X-LazyAF-Actor";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9@._:-]{0,63}$")]
    private static partial Regex Pattern();

    public static string Of(HttpContext http) =>
        http.Request.Headers[Header].ToString() is { Length: > 0 } named && Pattern().IsMatch(named) ? named : "api";
}
