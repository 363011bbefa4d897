using System.Globalization;

namespace RunnerLoad;

/// <summary>A command's <c>--name value</c> options, and the program after <c>--</c> (footprint).</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public string this[string name] => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) => values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static (string Command, Options Options, string[] Program) Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 1;
        for (; i < args.Length && args[i] != "--"; i += 2)
            values[args[i].TrimStart('-')] = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
        return (args.Length > 0 ? args[0] : "", new Options(values), i < args.Length ? args[(i + 1)..] : []);
    }
}
