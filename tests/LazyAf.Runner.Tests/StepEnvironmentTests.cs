using LazyAf.Runner.Steps;

namespace LazyAf.Runner.Tests;

/// <summary>What a step's environment is made of.</summary>
public sealed class StepEnvironmentTests
{
    [Fact]
    public void A_lazyaf_token_in_the_hosts_environment_never_reaches_a_step()
    {
        // A host started from the owner's shell may have the owner's token exported; no other test here reads it.
        Environment.SetEnvironmentVariable("LAZYAF_TOKEN", "lazyaf_from-the-owners-shell");
        try
        {
            var spec = new StepSpec(
                "exec-env",
                new RepoCheckout("http://127.0.0.1:1/x.git", Token: "lazyaf_step_t", BaseBranch: "main", BaseCommit: null, WorkBranch: "lazyaf/card-env"),
                new ScriptStepDefinition("true"),
                Env: new Dictionary<string, string> { ["MINE"] = "1" },
                Secrets: new Dictionary<string, string>(),
                Timeout: TimeSpan.FromSeconds(5),
                Context: new StepContext("t", "d", []),
                Commit: new CommitSettings("m", "a", "a@b"));

            var environment = StepEnvironment.For(spec, "/tmp/workspace");

            Assert.False(environment.ContainsKey("LAZYAF_TOKEN"));
            Assert.DoesNotContain(environment.Values, value => value.Contains("lazyaf_", StringComparison.Ordinal));
            Assert.Equal("1", environment["MINE"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LAZYAF_TOKEN", null);
        }
    }

    [Fact]
    public void A_step_gets_the_documented_base_of_the_hosts_environment_and_nothing_else_of_it()
    {
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "from-the-host");
        try
        {
            var spec = new StepSpec(
                "exec-base",
                new RepoCheckout("http://127.0.0.1:1/x.git", Token: null, BaseBranch: "main", BaseCommit: null, WorkBranch: "lazyaf/card-base"),
                new ScriptStepDefinition("true"),
                Env: new Dictionary<string, string> { ["DECLARED"] = "yes" },
                Secrets: new Dictionary<string, string> { ["NAMED_SECRET"] = "s3cret-value" },
                Timeout: TimeSpan.FromSeconds(5),
                Context: new StepContext("t", "d", []),
                Commit: new CommitSettings("m", "a", "a@b"));

            var environment = StepEnvironment.For(spec, "/tmp/workspace");

            string[] lazyaf = ["CI", "LAZYAF", "LAZYAF_EXECUTION_ID", "LAZYAF_WORK_BRANCH", "LAZYAF_WORKSPACE"];
            Assert.All(environment.Keys, key => Assert.Contains(key, StepEnvironment.Base.Concat(lazyaf).Append("DECLARED").Append("NAMED_SECRET")));
            Assert.Equal(Environment.GetEnvironmentVariable("PATH"), environment["PATH"]);
            Assert.Equal(("yes", "s3cret-value"), (environment["DECLARED"], environment["NAMED_SECRET"]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", null);
        }
    }
}
