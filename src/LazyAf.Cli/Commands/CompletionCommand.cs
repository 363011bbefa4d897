using System.CommandLine;
using System.Text;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf completion bash|zsh</c>: a shell completion script made from the command tree itself, so it offers exactly the
/// commands, subcommands and options this lazyaf has. zsh gets the same script through its bash compatibility (bashcompinit).
/// </summary>
internal static class CompletionCommand
{
    public static Command Create(CliContext context, RootCommand root)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: source <(lazyaf completion bash), or add it to ~/.bashrc / ~/.zshrc") { shell };
        command.SetAction(async (parse, _) =>
        {
            var script = Bash(root);
            if (parse.GetValue(shell) == "zsh")
                script = "#compdef lazyaf\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
            await context.Output.WriteAsync(script);
            return 0;
        });
        return command;
    }

    private static string Bash(RootCommand root)
    {
        var cases = new StringBuilder();
        var recursive = root.Options.Where(o => o.Recursive).SelectMany(Names).ToList();
        void Walk(Command command, string path)
        {
            var words = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
                .Concat(command.Options.Where(o => !o.Hidden).SelectMany(Names)).Concat(path.Length == 0 ? [] : recursive)
                .Append("--help").Distinct(StringComparer.Ordinal);
            cases.Append($"    \"{path}\") echo \"{string.Join(' ', words)}\" ;;\n");
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
                Walk(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}");
        }
        Walk(root, "");
        return $$"""
            # lazyaf completion for bash (made by: lazyaf completion bash)
            _lazyaf_words() {
              case "$1" in
            {{cases}}    *) return 1 ;;
              esac
            }

            _lazyaf() {
              local cur="${COMP_WORDS[COMP_CWORD]}" key="" word i
              # The command path is the words that name subcommands; ids, names and option values are skipped.
              for ((i = 1; i < COMP_CWORD; i++)); do
                word="${COMP_WORDS[i]}"
                [[ "$word" == -* ]] && continue
                _lazyaf_words "${key:+$key }$word" >/dev/null && key="${key:+$key }$word"
              done
              COMPREPLY=($(compgen -W "$(_lazyaf_words "$key")" -- "$cur"))
            }

            complete -F _lazyaf lazyaf

            """;
    }

    // Only what a shell user types: --help, not /? or -?.
    private static IEnumerable<string> Names(Option option) => new[] { option.Name }.Concat(option.Aliases).Where(n => n.StartsWith('-') && n != "-?");
}
