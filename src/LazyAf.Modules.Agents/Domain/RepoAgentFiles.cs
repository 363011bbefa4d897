using LazyAf.Modules.Repos.Contracts;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LazyAf.Modules.Agents.Domain;

/// <summary>An agent file as a branch sees it: from the repo's <c>.lazyaf/agents/</c> (<c>repo</c>, with its path) or the platform's.</summary>
internal sealed record BranchAgentFile(string Name, string Description, string Content, string? Model, string Source, string? Path);

/// <summary>A repo agent file that does not read, with where, when the YAML says.</summary>
internal sealed record AgentFileError(string Path, string Message, int? Line, int? Column);

/// <summary>Reads <c>.lazyaf/agents/NAME.yml</c>: <c>name</c> (default: the file name), <c>description</c>, <c>model</c>, <c>prompt</c>.</summary>
internal static class RepoAgentFiles
{
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

    public static (List<BranchAgentFile> Files, List<AgentFileError> Errors) Parse(IReadOnlyList<RepoFile> files)
    {
        var agents = new List<BranchAgentFile>();
        var errors = new List<AgentFileError>();
        foreach (var file in files)
        {
            try
            {
                var document = Yaml.Deserialize<Document?>(file.Content) ?? new Document();
                var name = document.Name ?? Path.GetFileNameWithoutExtension(file.Path);
                var problems = AgentFileRules.Check(name, document.Prompt, document.Description);
                if (problems.Count > 0)
                {
                    errors.Add(new AgentFileError(file.Path, string.Join(" ", problems.Values.SelectMany(v => v)).Replace("content", "prompt", StringComparison.Ordinal), null, null));
                    continue;
                }
                agents.Add(new BranchAgentFile(name, document.Description ?? "", document.Prompt!, document.Model, "repo", file.Path));
            }
            catch (YamlException ex)
            {
                errors.Add(new AgentFileError(file.Path, ex.InnerException?.Message ?? ex.Message, (int)ex.Start.Line, (int)ex.Start.Column));
            }
        }
        return (agents, errors);
    }
}
