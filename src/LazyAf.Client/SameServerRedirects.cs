using System.Net;

namespace LazyAf.Client;

/// <summary>
/// Follows the server's redirects to its own URLs (a pipeline step's logs redirect to its execution's) keeping the
/// request's headers: .NET drops the Authorization header on every redirect it follows itself. Anything else is
/// handed back as it came.
/// </summary>
public sealed class SameServerRedirects() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
{
    private const int MaxRedirects = 5;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        for (var hop = 0; hop < MaxRedirects && request.Content is null && Target(request, response) is { } target; hop++)
        {
            var next = new HttpRequestMessage(request.Method, target);
            foreach (var header in request.Headers)
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Dispose();
            request = next;
            response = await base.SendAsync(next, cancellationToken);
        }
        return response;
    }

    private static Uri? Target(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.RedirectKeepVerb or HttpStatusCode.PermanentRedirect or HttpStatusCode.MovedPermanently)
            || response.Headers.Location is not { } location)
            return null;
        var target = new Uri(request.RequestUri!, location);
        return Uri.Compare(request.RequestUri, target, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 ? target : null;
    }
}
