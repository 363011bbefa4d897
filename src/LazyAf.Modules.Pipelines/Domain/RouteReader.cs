using LazyAf.Modules.Repos.Contracts;
using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary><c>on_success</c> / <c>on_failure</c>: <c>next</c>, <c>stop</c>, <c>merge[:{branch}]</c>, <c>run:{step}</c>, <c>trigger:pipeline:{name}</c>.</summary>
internal static class RouteReader
{
    public static StepRoute Read(YamlFields fields, Dictionary<string, YamlNode> step, string key, string what, StepRoute fallback)
    {
        if (fields.Text(step, key, what) is not { } text)
            return fallback;
        var at = step[key];
        var route = Parse(text);
        if (route is null)
        {
            fields.Error(at, $"{what}.{key} '{text}' is not a route (next, stop, merge:{{branch}}, run:{{step id}}, trigger:pipeline:{{name}})");
            return fallback;
        }
        if (route.Kind == RouteKind.Merge && route.Target is { } branch && BranchNames.Check(branch) is { } bad)
            fields.Error(at, $"{what}.{key}: {bad}");
        if (key == "on_success" && route.Kind == RouteKind.Run)
            fields.Error(at, $"{what}.on_success cannot be run:…; a fix step runs only on failure");
        if (key == "on_failure" && route.Kind == RouteKind.Merge)
            fields.Error(at, $"{what}.on_failure cannot merge a failed step");
        if (route.Kind == RouteKind.TriggerPipeline && !DefinitionReader.IsName(route.Target!))
            fields.Error(at, $"{what}.{key}: '{route.Target}' is not a pipeline name");
        return route;
    }

    private static StepRoute? Parse(string text) => text switch
    {
        "next" => StepRoute.Next,
        "stop" => StepRoute.Stop,
        "merge" => new StepRoute(RouteKind.Merge, null),
        _ when text.StartsWith("merge:", StringComparison.Ordinal) && text.Length > 6 => new StepRoute(RouteKind.Merge, text[6..]),
        _ when text.StartsWith("run:", StringComparison.Ordinal) && text.Length > 4 => new StepRoute(RouteKind.Run, text[4..]),
        _ when text.StartsWith("trigger:pipeline:", StringComparison.Ordinal) && text.Length > 17 => new StepRoute(RouteKind.TriggerPipeline, text[17..]),
        _ => null,
    };
}
