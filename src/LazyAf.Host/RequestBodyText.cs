using System.Text.Json;
using System.Text.RegularExpressions;

namespace LazyAf.Host;

/// <summary>What a request body that cannot be read says to the client: the field at fault, in the API's words.</summary>
internal static partial class RequestBodyText
{
    public static string Problem(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException { Message: var message } when UnknownField().Match(message) is { Success: true } unknown =>
            $"{bad.Message} '{unknown.Groups["field"].Value}' is not a field of this request.",
        JsonException { Path: { Length: > 1 } path } => $"{bad.Message} The value at {path} is not what it should be.",
        _ => bad.Message,
    };

    [GeneratedRegex("^The JSON property '(?<field>[^']*)' could not be mapped")]
    private static partial Regex UnknownField();
}
