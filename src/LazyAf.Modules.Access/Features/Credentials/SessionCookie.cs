using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Access.Features.Credentials;

/// <summary>
/// The board's session cookie: HttpOnly (no script reads it), SameSite=Strict, named after the port because
/// cookies are shared by every port of a host name.
/// </summary>
internal static class SessionCookie
{
    public static string NameFor(HttpRequest request) => $"lazyaf_session_{request.Host.Port ?? (request.IsHttps ? 443 : 80)}";

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(NameFor(request), out var value) && value.Length > 0 ? value : null;

    public static void Write(HttpResponse response, string token, TimeSpan lifetime) =>
        response.Cookies.Append(NameFor(response.HttpContext.Request), token, Options(response.HttpContext.Request, lifetime));

    public static void Delete(HttpResponse response) =>
        response.Cookies.Delete(NameFor(response.HttpContext.Request), Options(response.HttpContext.Request, TimeSpan.Zero));

    private static CookieOptions Options(HttpRequest request, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };
}
