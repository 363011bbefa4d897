using LazyAf.Modules.Pipelines.Domain;

namespace LazyAf.Modules.Pipelines.Tests;

public sealed class DefinitionReaderTests
{
    private const string Full = """
        name: ci
        description: Build, test, fix, merge
        max_attempts: 4
        env: {CI: "true", PORT: 8080}
        triggers:
          - card_complete: {on_pass: merge, on_fail: fail}
          - push: {branches: [main, "feature/*"], include_lazyaf: false}
          - schedule: {cron: "0 3 * * *"}
          - webhook: {}
        steps:
          - id: build
            name: Build
            type: docker
            config: {image: "gcc:14", command: make, memory: 1g}
            timeout: 10m
            requires: [linux, x64]
          - id: test
            config: {command: make test}
            retry: 1
            continue_in_context: true
            on_failure: run:fix
          - id: lint
            needs: [build]
            config: {command: make lint}
            on_failure: next
          - id: fix
            type: agent
            config: {agent: claude-code, model: sonnet, prompt_template: "Fix these: {{test_failures}}"}
          - id: ship
            needs: [test, lint]
            config: {command: "true"}
            on_success: merge:main
        """;

    [Fact]
    public void A_full_pipeline_reads_with_triggers_routes_and_the_implicit_order()
    {
        var read = DefinitionReader.Read(Full);

        Assert.Empty(read.Errors);
        var definition = read.Definition!;
        Assert.Equal(("ci", 4), (definition.Name, definition.MaxAttempts));
        Assert.Equal("8080", definition.Env["PORT"]);
        Assert.Equal(["card_complete", "push", "schedule", "webhook"], definition.Triggers.Select(t => t.Kind));
        Assert.Equal(("merge", "fail"), (definition.Triggers[0].OnPass, definition.Triggers[0].OnFail));
        Assert.Equal(["main", "feature/*"], definition.Triggers[1].Branches);
        Assert.Equal("0 3 * * *", definition.Triggers[2].Cron);
        Assert.Equal(600, definition.Step("build")!.TimeoutSeconds);
        Assert.Equal(["linux", "x64"], definition.Step("build")!.Requires);
        Assert.Equal(["build"], definition.NeedsOf(definition.Step("test")!));
        Assert.Equal(["test", "lint"], definition.NeedsOf(definition.Step("ship")!));
        Assert.Equal(["fix"], definition.FixSteps);
        Assert.Equal("run:fix", definition.Step("test")!.OnFailure.ToString());
        Assert.Equal("merge:main", definition.Step("ship")!.OnSuccess.ToString());
        Assert.Contains("\"memory\":\"1g\"", definition.Step("build")!.Config, StringComparison.Ordinal);
    }

    [Fact]
    public void JSON_is_read_like_YAML()
    {
        var read = DefinitionReader.Read("""{"name": "j", "steps": [{"id": "a", "config": {"command": "true"}}]}""");
        Assert.Equal("a", Assert.Single(read.Definition!.Steps).Id);
    }

    [Theory]
    [InlineData("name: x\nsteps:\n  - id: a\n    config: {command: [unclosed\n", 5, 1, "")]
    [InlineData("name: x\nstesp: []\n", 2, 1, "unknown key 'stesp'")]
    [InlineData("name: x\nsteps:\n  - id: a\n    config: {command: 'true', comand: x}\n", 4, 31, "unknown key 'comand' in step a.config")]
    [InlineData("name: x\nsteps:\n  - id: a\n    retry: many\n    config: {command: 'true'}\n", 4, 12, "step a.retry must be a whole number")]
    [InlineData("name: x\nsteps:\n  - id: a\n    needs: [nope]\n    config: {command: 'true'}\n", 4, 13, "step a needs 'nope', which is not a step id")]
    [InlineData("name: x\nsteps:\n  - id: a\n    needs: [b]\n    config: {command: 'true'}\n  - id: b\n    needs: [a]\n    config: {command: 'true'}\n", 7, 12, "steps form a cycle")]
    [InlineData("name: x\nsteps:\n  - id: a\n    config: {command: 'true'}\n    on_failure: run:ghost\n", 5, 17, "runs 'ghost', which is not a step id")]
    [InlineData("name: x\nsteps:\n  - id: a\n    type: docker\n    config: {command: 'true'}\n", 5, 13, "step a.config.image is required")]
    [InlineData("name: x\nsteps:\n  - id: a\n    config: {command: 'true', timeout_seconds: 1e20}\n", 4, 31, "step a.config.timeout_seconds must be a whole number from 1 to 604800")]
    [InlineData("name: x\nsteps:\n  - id: a\n    timeout: 99999999999999999999h\n    config: {command: 'true'}\n", 4, 14, "step a.timeout must be seconds or a duration")]
    [InlineData("name: x\nsteps:\n  - id: a\n    requires: [Not A Label]\n    config: {command: 'true'}\n", 4, 15, "step a.requires holds runner labels")]
    [InlineData("name: x\nsteps:\n  - id: a\n    type: agent\n    config: {agent: codex, keep_partial_work: maybe}\n", 5, 28, "step a.config.keep_partial_work must be true or false")]
    [InlineData("name: x\nsteps:\n  - id: a\n    type: lambda\n    config: {command: 'true'}\n", 4, 11, "step a.type must be one of script, docker, agent")]
    [InlineData("name: x\ntriggers:\n  - push: {branches: main}\nsteps:\n  - id: a\n    config: {command: 'true'}\n", 3, 22, "trigger push.branches must be a list")]
    [InlineData("name: x\ntriggers:\n  - nightly: {}\nsteps:\n  - id: a\n    config: {command: 'true'}\n", 3, 5, "unknown trigger 'nightly'")]
    public void Errors_say_what_is_wrong_and_where(string yaml, int line, int column, string message)
    {
        var read = DefinitionReader.Read(yaml);

        Assert.Null(read.Definition);
        var error = read.Errors.First(e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.True((error.Line, error.Column) == (line, column), $"{error.Line}:{error.Column}: {error.Message}");
    }

    [Fact]
    public void Steps_without_needs_that_close_a_cycle_through_the_implicit_order_are_a_cycle()
    {
        var read = DefinitionReader.Read("name: x\nsteps:\n  - id: a\n    needs: [b]\n    config: {command: 'true'}\n  - id: b\n    config: {command: 'true'}\n");
        Assert.Contains("cycle: a → b → a", Assert.Single(read.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_of_the_most_steps_allowed_reads_and_one_more_is_refused_at_the_steps_list()
    {
        static string Chain(int steps) => "name: x\nsteps:\n" + string.Concat(Enumerable.Range(0, steps).Select(i =>
            $"  - id: s{i}\n    config: {{command: 'true'}}\n" + (i > 0 ? $"    needs: [s{i - 1}]\n" : "")));

        var longest = DefinitionReader.Read(Chain(PipelineDefinition.MaxSteps));
        Assert.True(longest.IsValid, string.Join("\n", longest.Errors.Select(e => e.Message)));
        Assert.Equal(["s998"], longest.Definition!.NeedsOf(longest.Definition.Steps[^1]));

        var error = Assert.Single(DefinitionReader.Read(Chain(PipelineDefinition.MaxSteps + 1)).Errors);
        Assert.Equal((3, 3, "a pipeline has at most 1000 steps; this one has 1001"), (error.Line, error.Column, error.Message));
    }

    [Fact]
    public void A_cycle_at_the_end_of_a_long_chain_is_found_and_named()
    {
        var yaml = "name: x\nsteps:\n" + string.Concat(Enumerable.Range(0, 900).Select(i => $"  - id: s{i}\n    config: {{command: 'true'}}\n"))
            + "  - id: last\n    needs: [s899]\n    config: {command: 'true'}\n  - id: loop\n    needs: [last, loop2]\n    config: {command: 'true'}\n"
            + "  - id: loop2\n    needs: [loop]\n    config: {command: 'true'}\n";

        Assert.Contains("steps form a cycle: loop → loop2 → loop", Assert.Single(DefinitionReader.Read(yaml).Errors).Message, StringComparison.Ordinal);
    }
}
