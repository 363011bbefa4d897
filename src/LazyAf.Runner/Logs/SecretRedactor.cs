using LazyAf.Runner.Agents;

namespace LazyAf.Runner.Logs;

/// <summary>
/// Masks a step's secrets, in every one of their <see cref="SecretForms"/>, in text that leaves the runner other
/// than as log output: errors, test names and failure messages, agent event fields, context files. Log output
/// goes through the streaming <see cref="SecretMasker"/> built from the same forms.
/// </summary>
public sealed class SecretRedactor
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    /// <summary>A redactor that masks nothing.</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary>A redactor for <paramref name="secrets"/> (their values).</summary>
    public SecretRedactor(IEnumerable<string> secrets) => Forms = SecretForms.Of(secrets);

    /// <summary>Every form looked for, longest first.</summary>
    public IReadOnlyList<string> Forms { get; }

    /// <summary><paramref name="text"/> with every form of every secret replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var form in Forms)
        {
            if (text.Contains(form, StringComparison.Ordinal))
                text = text.Replace(form, Mask, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>As <see cref="Redact(string)"/>; null stays null.</summary>
    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>The result with its error, test names and failure messages and log tail masked.</summary>
    public StepResult Redact(StepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result with { Error = RedactOrNull(result.Error), Tests = Redact(result.Tests), LogTail = Redact(result.LogTail) };
    }

    /// <summary>The summary with its test names and failure messages masked.</summary>
    public TestSummary? Redact(TestSummary? tests) => tests is null ? null : tests with
    {
        Failures = [.. tests.Failures.Select(f => f with { Name = Redact(f.Name), Message = Redact(f.Message), Report = Redact(f.Report), Output = Redact(f.Output) })],
    };

    /// <summary>The event with every text field masked (before it is cut short or encoded).</summary>
    public AgentEvent Redact(AgentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e with
        {
            SessionId = RedactOrNull(e.SessionId),
            Model = RedactOrNull(e.Model),
            Text = RedactOrNull(e.Text),
            ToolUseId = RedactOrNull(e.ToolUseId),
            ToolName = RedactOrNull(e.ToolName),
            Summary = RedactOrNull(e.Summary),
            Subtype = RedactOrNull(e.Subtype),
        };
    }
}
