namespace LazyAf.Cli.Output;

/// <summary>Rows of text in aligned columns, for commands that list things.</summary>
internal sealed class TextTable(params string[] headers)
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [headers];

    public void Add(params string[] cells) => _rows.Add(cells);

    public async Task WriteToAsync(TextWriter writer)
    {
        var widths = Enumerable.Range(0, headers.Length)
            .Select(column => _rows.Max(row => row[column].Length))
            .ToArray();
        foreach (var row in _rows)
        {
            var cells = row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]));
            await writer.WriteLineAsync(string.Join(Gap, cells).TrimEnd());
        }
    }
}
