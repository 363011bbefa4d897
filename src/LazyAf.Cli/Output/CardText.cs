using System.Globalization;
using System.Text.Json;

namespace LazyAf.Cli.Output;

/// <summary>How the card commands show statuses, steps and times.</summary>
internal static class CardText
{
    /// <summary>The board's columns, left to right.</summary>
    public static readonly string[] Statuses = ["todo", "in_progress", "in_review", "done", "failed"];

    /// <summary>Where <paramref name="status"/> is on the board; a status this CLI does not know goes last.</summary>
    public static int Column(string status) => Array.IndexOf(Statuses, status) is >= 0 and var column ? column : Statuses.Length;

    /// <summary>A step in a few words: <c>script: make test</c>, <c>docker node:22: npm test</c>, <c>agent claude-code, model opus</c>.</summary>
    public static string Step(string stepType, JsonElement config) => stepType switch
    {
        "script" => $"script: {Setting(config, "command")}",
        "docker" => $"docker {Setting(config, "image")}: {Setting(config, "command")}",
        "agent" => $"agent {Setting(config, "agent")}" + (Setting(config, "model") is { } model ? $", model {model}" : ""),
        _ => $"{stepType} {config.GetRawText()}",
    };

    public static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    /// <summary>A commit's first 8 characters, as people read a sha.</summary>
    public static string Sha(string sha) => sha.Length > 8 ? sha[..8] : sha;

    /// <summary>Dollars to the cent, and a spend under a cent to four places, which "$0.00" would hide.</summary>
    public static string Money(decimal usd) =>
        usd is > 0 and < 0.01m ? usd.ToString("$0.0###", CultureInfo.InvariantCulture) : usd.ToString("$0.00", CultureInfo.InvariantCulture);

    private static string? Setting(JsonElement config, string name) =>
        config.ValueKind == JsonValueKind.Object && config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
