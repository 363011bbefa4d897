using System.Net;
using System.Net.Http.Headers;

namespace LazyAf.Testing;

/// <summary>
/// Sends a LazyAF token with every request, also after the host's own redirects (a pipeline step's logs redirect to
/// its execution's): .NET drops the Authorization header on every redirect it follows, so this handler follows
/// redirects within the same origin itself. The token is read per request, so it may appear later (a host's first start).
/// </summary>
public sealed class TokenHandler(Func<string?> token) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
{
    private const int MaxRedirects = 5;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await SendWithTokenAsync(request, cancellationToken);
        for (var hop = 0; hop < MaxRedirects && Redirected(response) is { } target && SameOrigin(request.RequestUri!, target) && request.Content is null; hop++)
        {
            var next = new HttpRequestMessage(request.Method, target);
            foreach (var header in request.Headers)
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Dispose();
            request = next;
            response = await SendWithTokenAsync(next, cancellationToken);
        }
        return response;
    }

    private Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.Headers.Authorization is null && token() is { } value)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);
        return base.SendAsync(request, ct);
    }

    private static Uri? Redirected(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.RedirectKeepVerb or HttpStatusCode.PermanentRedirect or HttpStatusCode.MovedPermanently
            && response.Headers.Location is { } location
            ? new Uri(response.RequestMessage!.RequestUri!, location)
            : null;

    private static bool SameOrigin(Uri a, Uri b) => Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
