using LazyAf.Modules.Triggers.Domain;

namespace LazyAf.Modules.Triggers.Tests;

public sealed class TriggerRuleTests
{
    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]
    [InlineData("feature/*", "feature/login", true)]
    [InlineData("feature/*", "feature/login/deep", false)]
    [InlineData("feature/**", "feature/login/deep", true)]
    [InlineData("**", "any/thing/at/all", true)]
    [InlineData("release-?", "release-1", true)]
    [InlineData("release-?", "release-10", false)]
    [InlineData("v1.*", "v1x2", false)]
    public void Branch_globs_match_within_or_across_segments(string pattern, string branch, bool matches) =>
        Assert.Equal(matches, BranchGlob.IsMatch(pattern, branch));

    [Fact]
    public void Lazyaf_branches_fire_only_triggers_that_ask_for_them()
    {
        Assert.False(BranchGlob.Fires([], includeLazyaf: false, "lazyaf/card-1"));
        Assert.False(BranchGlob.Fires(["**"], includeLazyaf: false, "lazyaf/card-1"));
        Assert.True(BranchGlob.Fires(["lazyaf/*"], includeLazyaf: true, "lazyaf/card-1"));
        Assert.True(BranchGlob.Fires([], includeLazyaf: false, "topic"));
    }

    [Theory]
    [InlineData("merge", "merge", null)]
    [InlineData("merge:release/1", "merge", "release/1")]
    [InlineData(null, "nothing", null)]
    [InlineData(" reject ", "reject", null)]
    public void Actions_parse_into_a_verb_and_a_branch(string? text, string verb, string? branch) =>
        Assert.Equal(new TriggerAction(verb, branch), TriggerAction.Parse(text));
}
