namespace LazyAf.Cli.Git;

/// <summary>What <c>git push --porcelain</c> said about each ref, and how the push ended.</summary>
internal sealed record PushReport(GitResult Result, IReadOnlyList<PushReport.RefStatus> Refs)
{
    /// <summary>One ref's line: <c>flag TAB from:to TAB summary</c> (see git-push(1), OUTPUT).</summary>
    public sealed record RefStatus(char Flag, string Target, string Summary)
    {
        public bool Rejected => Flag == '!';

        public bool UpToDate => Flag == '=';

        public bool Forced => Flag == '+';

        /// <summary>Refused because the remote has commits the pushed commit does not contain.</summary>
        public bool NonFastForward => Rejected && (Summary.Contains("non-fast-forward", StringComparison.Ordinal) || Summary.Contains("fetch first", StringComparison.Ordinal));
    }

    public bool Succeeded => Result.Succeeded;

    public IEnumerable<RefStatus> Rejections => Refs.Where(r => r.Rejected);

    public static PushReport Parse(GitResult result)
    {
        var refs = new List<RefStatus>();
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts is not [{ Length: 1 } flag, var fromTo, var summary])
                continue;
            var target = fromTo[(fromTo.LastIndexOf(':') + 1)..];
            refs.Add(new RefStatus(flag[0], target, summary.Trim()));
        }
        return new PushReport(result, refs);
    }
}
