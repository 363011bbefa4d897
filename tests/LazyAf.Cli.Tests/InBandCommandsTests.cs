using System.Text;
using LazyAf.Cli.Commands;

namespace LazyAf.Cli.Tests;

/// <summary>The in-band commands of <c>lazyaf debug shell</c> found in what is typed: a key at a time (raw mode) and whole lines (a pipe).</summary>
public sealed class InBandCommandsTests
{
    [Theory]
    [InlineData("@status\r", "[status]")]
    [InlineData("ls\n@status\nls\n", "ls\n|[status]|ls\n")]
    [InlineData("ls\r@resume\r", "ls\r|[resume]")]
    [InlineData("@extend\r\nls\r\n", "[extend]|ls\r\n")]
    [InlineData("@abort\n\n", "[abort]|\n")]
    [InlineData("echo a@status\n", "echo a@status\n")]
    [InlineData("@@status\n", "@status\n")]
    [InlineData("@@\n", "@\n")]
    [InlineData("@reboot\n@status\n", "@reboot\n|[status]")]
    [InlineData("@status now\n", "@status now\n")]
    [InlineData("@Status\n", "@Status\n")]
    [InlineData("@\n", "@\n")]
    [InlineData("@stax\x7ftus\r", "[status]")]
    [InlineData("@\x7fls\r", "ls\r")]
    [InlineData("@resumex\r", "@resumex\r")]
    public void Whole_lines_and_single_keys_split_alike(string typed, string expected)
    {
        Assert.Equal(expected, Split(new InBandCommands(), [Encoding.ASCII.GetBytes(typed)]));
        Assert.Equal(expected, Split(new InBandCommands(), [.. Encoding.ASCII.GetBytes(typed).Select(b => new[] { b })]));
    }

    [Fact]
    public void A_command_being_typed_is_held_back_and_pending_until_its_enter()
    {
        var commands = new InBandCommands();

        Assert.Empty(commands.Read("@sta"u8));
        Assert.Equal("@sta", commands.Pending);
        Assert.Empty(commands.Read("tus"u8));
        Assert.Equal("[status]", Split(commands, ["\r"u8.ToArray()]));
        Assert.Equal("", commands.Pending);
        // The line after a command starts fresh: its @ is a command's again.
        Assert.Equal("[abort]", Split(commands, ["@abort\r"u8.ToArray()]));
    }

    [Fact]
    public void An_at_sign_inside_a_line_or_after_a_passed_word_goes_through_at_once()
    {
        var commands = new InBandCommands();

        Assert.Equal("x@", Split(commands, ["x@"u8.ToArray()]));
        Assert.Equal("", commands.Pending);
        Assert.Equal("@ls ", Split(commands, ["\r"u8.ToArray(), "@ls "u8.ToArray()])[1..]);
        Assert.Equal("@", Split(commands, ["@"u8.ToArray()]));
    }

    [Fact]
    public void Binary_input_passes_unchanged()
    {
        byte[] typed = [0x00, 0x1b, (byte)'[', (byte)'A', 0xff, 0xc3, 0xa9, 0x03];

        var parts = new InBandCommands().Read(typed);

        Assert.Equal(typed, Assert.Single(parts).Bytes);
    }

    // What went through as text, each command as [name], parts joined by | (adjacent byte parts first merged).
    private static string Split(InBandCommands commands, IEnumerable<byte[]> chunks)
    {
        var parts = new List<string>();
        foreach (var part in chunks.SelectMany(c => commands.Read(c)))
        {
            if (part.Command is { } command)
                parts.Add($"[{command}]");
            else if (parts.Count > 0 && !parts[^1].StartsWith('['))
                parts[^1] += Encoding.ASCII.GetString(part.Bytes);
            else
                parts.Add(Encoding.ASCII.GetString(part.Bytes));
        }
        return string.Join('|', parts);
    }
}
