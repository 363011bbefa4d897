using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace LazyAf.Kernel.Http;

/// <summary>One page of a keyset-paged listing: the rows after <see cref="After"/> (a key of a stable, monotonic order), at most <see cref="Limit"/> of them.</summary>
/// <param name="After">The last key the client has; 0 for the first page.</param>
/// <param name="Limit">How many rows the page holds at most.</param>
public readonly record struct PageRequest(long After, int Limit)
{
    /// <summary>How many rows to read: one more than the page, so that a further row tells there is a next page.</summary>
    public int Take => Limit + 1;
}

/// <summary>
/// Cursor paging shared by every listing: an opaque <c>cursor</c> and a <c>limit</c> in the query; the body stays a JSON
/// array and the next page is offered in an RFC 8288 <c>Link: &lt;url&gt;; rel="next"</c> header (none on the last page).
/// </summary>
public static class Paging
{
    /// <summary>The most rows one page may hold; a larger <c>limit</c> is cut to it.</summary>
    public const int MaxLimit = 1000;

    private const string Prefix = "k";

    /// <summary>Reads <paramref name="cursor"/> and <paramref name="limit"/>; a malformed value is a 400 naming the parameter.</summary>
    public static bool TryRead(string? cursor, string? limit, int defaultLimit, out PageRequest page, out ValidationProblem? problem)
    {
        page = default;
        problem = null;
        var size = defaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1))
        {
            problem = Problems.Invalid("limit", $"limit must be a whole number from 1 (at most {MaxLimit} are sent).");
            return false;
        }
        var after = 0L;
        if (cursor is not null && !TryDecode(cursor, out after))
        {
            problem = Problems.Invalid("cursor", "cursor must be one the host sent in a Link header; start without it for the first page.");
            return false;
        }
        page = new PageRequest(after, Math.Min(size, MaxLimit));
        return true;
    }

    /// <summary>
    /// Cuts <paramref name="rows"/> (read with <see cref="PageRequest.Take"/>) to the page and, when a further row was read,
    /// offers the page after the last one kept in a <c>Link</c> header on <paramref name="response"/>.
    /// </summary>
    public static IReadOnlyList<T> Cut<T>(IReadOnlyList<T> rows, PageRequest page, Func<T, long> key, HttpResponse response)
    {
        if (rows.Count <= page.Limit)
            return rows;
        var kept = rows.Take(page.Limit).ToList();
        OfferNext(response, Encode(key(kept[^1])));
        return kept;
    }

    /// <summary>Sets <c>Link: &lt;this url with cursor=next&gt;; rel="next"</c>; the request's other query parameters (filters, limit) are kept.</summary>
    public static void OfferNext(HttpResponse response, string nextCursor, string cursorParameter = "cursor")
    {
        var request = response.HttpContext.Request;
        var query = request.Query
            .Where(p => !string.Equals(p.Key, cursorParameter, StringComparison.OrdinalIgnoreCase))
            .Append(new KeyValuePair<string, StringValues>(cursorParameter, nextCursor));
        response.Headers.Append("Link", $"<{request.PathBase}{request.Path}{QueryString.Create(query)}>; rel=\"next\"");
    }

    /// <summary>The opaque cursor of a key.</summary>
    public static string Encode(long key) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + key.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecode(string cursor, out long key)
    {
        key = 0;
        if (cursor.Length is 0 or > 32)
            return false;
        Span<byte> bytes = stackalloc byte[32];
        if (Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
            return false;
        var text = Encoding.ASCII.GetString(bytes[..written]);
        return text.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out key)
            && key > 0;
    }
}
