using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf test quarantine REPO TEST [--reason]</c> and <c>lazyaf test release REPO TEST</c>.</summary>
internal static class TestCommand
{
    public static Command Create(CliContext context, ServerOptions server) =>
        new("test", "Quarantine a test (it still runs, its failure no longer fails a step) or release it")
        {
            Quarantine(context, server),
            Release(context, server),
        };

    private static Command Quarantine(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var testArgument = new Argument<string>("test") { Description = "The test's full name (see: lazyaf tests REPO)" };
        var reasonOption = new Option<string?>("--reason") { Description = "Why, for whoever reads the quarantine list" };
        var command = new Command("quarantine", "Quarantine a test: it still runs and is recorded, but its failure no longer fails a step") { repoArgument, testArgument, reasonOption };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var test = parse.GetValue(testArgument)!;
            var quarantined = await api.QuarantineTestAsync(repo.Id, test, parse.GetValue(reasonOption), ct) ?? throw RepoArgument.NotFound(repo.Name);
            await context.Output.WriteLineAsync($"quarantined {quarantined.Test} in {repo.Name} (by {quarantined.QuarantinedBy}); release it with: lazyaf test release {repo.Name} {quarantined.Test}");
            return 0;
        });
        return command;
    }

    private static Command Release(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var testArgument = new Argument<string>("test") { Description = "The quarantined test's full name" };
        var command = new Command("release", "Release a quarantined test: its failures fail steps again") { repoArgument, testArgument };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var test = parse.GetValue(testArgument)!;
            if (!await api.ReleaseTestAsync(repo.Id, test, ct))
                throw new CliFailure($"{test} is not quarantined in {repo.Name}");
            await context.Output.WriteLineAsync($"released {test} in {repo.Name}");
            return 0;
        });
        return command;
    }
}
