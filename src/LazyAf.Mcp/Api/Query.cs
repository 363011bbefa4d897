using System.Globalization;

namespace LazyAf.Mcp.Api;

/// <summary>A query string of the parameters that were given (<c>?branch=main&amp;limit=20</c>), escaped; "" when none was.</summary>
internal static class Query
{
    public static string Of(params (string Name, object? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null and not "").Select(p => $"{p.Name}={Uri.EscapeDataString(Text(p.Value!))}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    private static string Text(object value) =>
        value is bool flag ? (flag ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
