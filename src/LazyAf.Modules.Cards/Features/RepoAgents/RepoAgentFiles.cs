using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Repos.Contracts;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LazyAf.Modules.Cards.Features.RepoAgents;

/// <summary>Reads <c>.lazyaf/agents/NAME.yml</c>: <c>name</c> (default: the file name), <c>description</c>, <c>model</c>, <c>prompt</c>.</summary>
internal static class RepoAgentFiles
{
    public sealed record FileError(string Path, string Message, int? Line, int? Column);

    private sealed class Document
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string? Model { get; set; }
        public string? Prompt { get; set; }
    }

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static (List<RepoAgentsEndpoint.Agent> Agents, List<FileError> Errors) Parse(IReadOnlyList<RepoFile> files)
    {
        var agents = new List<RepoAgentsEndpoint.Agent>();
        var errors = new List<FileError>();
        foreach (var file in files)
        {
            try
            {
                var document = Yaml.Deserialize<Document?>(file.Content) ?? new Document();
                var name = document.Name ?? Path.GetFileNameWithoutExtension(file.Path);
                var problems = AgentFileRules.Check(name, document.Prompt, document.Description);
                if (problems.Count > 0)
                {
                    errors.Add(new FileError(file.Path, string.Join(" ", problems.Values.SelectMany(v => v)).Replace("content", "prompt", StringComparison.Ordinal), null, null));
                    continue;
                }
                agents.Add(new RepoAgentsEndpoint.Agent(name, document.Description ?? "", document.Prompt!, document.Model, "repo", file.Path));
            }
            catch (YamlException ex)
            {
                errors.Add(new FileError(file.Path, ex.InnerException?.Message ?? ex.Message, (int)ex.Start.Line, (int)ex.Start.Column));
            }
        }
        return (agents, errors);
    }
}
