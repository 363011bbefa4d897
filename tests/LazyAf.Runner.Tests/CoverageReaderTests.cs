using LazyAf.Runner.Coverage;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

/// <summary>Cobertura and lcov as tools write them, summed over files; what is neither is passed over.</summary>
public sealed class CoverageReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Cobertura_root_counts_are_read_as_gcovr_and_coverlet_write_them()
    {
        var file = Write("coverage.xml", """
            <?xml version="1.0" ?>
            <!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
            <coverage line-rate="0.75" branch-rate="0.5" lines-covered="6" lines-valid="8" branches-covered="2" branches-valid="4" complexity="0.0" timestamp="1" version="gcovr 5.2">
              <packages/>
            </coverage>
            """);

        Assert.Equal(new CoverageSummary(6, 8, 2, 4), CoverageReader.Read([file]));
    }

    [Fact]
    public void Cobertura_without_totals_is_counted_from_its_lines_and_conditions()
    {
        var file = Write("cobertura.xml", """
            <coverage><packages><package><classes><class filename="a.c"><lines>
              <line number="1" hits="3" branch="true" condition-coverage="50% (1/2)"/>
              <line number="2" hits="0"/>
              <line number="3" hits="1"/>
            </lines></class></classes></package></packages></coverage>
            """);

        var coverage = CoverageReader.Read([file])!;

        Assert.Equal(new CoverageSummary(2, 3, 1, 2), coverage);
        Assert.Equal(2.0 / 3, coverage.LineRate!.Value, 6);
    }

    [Fact]
    public void Lcov_records_are_summed_with_their_totals_or_their_lines()
    {
        var totals = Write("lcov.info", "TN:\nSF:/src/a.c\nDA:1,1\nLF:10\nLH:7\nBRF:4\nBRH:1\nend_of_record\n");
        var lines = Write("more.lcov", "SF:/src/b.c\nDA:1,2\nDA:2,0\nBRDA:1,0,0,1\nBRDA:1,0,1,-\nend_of_record\n");
        var junit = Write("junit.xml", "<testsuite><testcase name=\"a\"/></testsuite>");
        var notes = Write("notes.info", "This package provides things.\n");

        Assert.Equal(new CoverageSummary(8, 12, 2, 6), CoverageReader.Read([totals, lines, junit, notes]));
        Assert.Null(CoverageReader.Read([junit, notes]));
    }

    [Fact]
    public void A_truncated_coverage_file_is_passed_over()
    {
        var broken = Write("coverage.xml", "<coverage><packages><package><classes><class><lines><line number=\"1\" hits=");

        Assert.Null(CoverageReader.Read([broken]));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}
