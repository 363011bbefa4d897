namespace LazyAf.Client;

/// <summary>
/// Paging as LazyAF's list endpoints offer it: the body is a JSON array, and the next page, if there is one, is the
/// RFC 8288 <c>Link: &lt;url&gt;; rel="next"</c> header (root-relative or absolute). No such link means this is the last page.
/// </summary>
public static class NextPage
{
    /// <summary>How many pages a client reads of one list before it decides the server is going round in circles.</summary>
    public const int MaxPages = 10_000;

    /// <summary>
    /// The next page of <paramref name="response"/>, resolved against its request's URL; null on the last page. A link to
    /// another server is refused (null would silently cut the list, so it throws): the client's credential goes only to its own.
    /// </summary>
    public static Uri? Of(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
            return null;
        var request = response.RequestMessage?.RequestUri ?? throw new InvalidOperationException("A response without its request has no URL to resolve a link against.");
        foreach (var link in values.SelectMany(SplitLinks))
        {
            if (Parse(link) is not ({ } target, var isNext) || !isNext)
                continue;
            var next = new Uri(request, target);
            if (Uri.Compare(request, next, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                throw new HttpRequestException($"The next page is on another server ({next.GetLeftPart(UriPartial.Authority)}); not following it.");
            return next;
        }
        return null;
    }

    /// <summary>One header may carry several links, separated by commas outside the angle brackets.</summary>
    private static IEnumerable<string> SplitLinks(string header)
    {
        var start = 0;
        var inTarget = false;
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] == '<')
                inTarget = true;
            else if (header[i] == '>')
                inTarget = false;
            else if (header[i] == ',' && !inTarget)
            {
                yield return header[start..i];
                start = i + 1;
            }
        }
        yield return header[start..];
    }

    /// <summary><c>&lt;url&gt;; rel="next"; …</c>: the URL, and whether one of its <c>rel</c> values is <c>next</c>.</summary>
    private static (string? Target, bool IsNext) Parse(string link)
    {
        var open = link.IndexOf('<', StringComparison.Ordinal);
        var close = link.IndexOf('>', StringComparison.Ordinal);
        if (open < 0 || close < open)
            return (null, false);
        var isNext = link[(close + 1)..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
            .Any(p => p.Length == 2 && p[0].Equals("rel", StringComparison.OrdinalIgnoreCase)
                && p[1].Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("next", StringComparer.OrdinalIgnoreCase));
        return (link[(open + 1)..close].Trim(), isNext);
    }
}
