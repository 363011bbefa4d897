using Serilog.Core;
using Serilog.Events;

namespace LazyAf.Host;

/// <summary>Tags each log event with the module that wrote it, derived from the logger's namespace.</summary>
internal sealed class ModuleEnricher : ILogEventEnricher
{
    private const string ModulePrefix = "LazyAf.Modules.";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.ContainsKey("Module"))
            return;
        var source = logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string s } ? s : "";
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Module", ModuleOf(source)));
    }

    private static string ModuleOf(string source)
    {
        if (source.StartsWith(ModulePrefix, StringComparison.Ordinal))
        {
            var rest = source.AsSpan(ModulePrefix.Length);
            var dot = rest.IndexOf('.');
            return (dot < 0 ? rest : rest[..dot]).ToString();
        }
        if (source.StartsWith("LazyAf.", StringComparison.Ordinal))
            return source.Split('.')[1];
        return source.Length == 0 ? "Host" : source;
    }
}
