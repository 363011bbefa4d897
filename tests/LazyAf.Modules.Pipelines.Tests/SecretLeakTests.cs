using System.Diagnostics;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>
/// A secret of awkward characters, printed in every form a step might print it — by a script, by the real Claude Code
/// CLI in a tool result and its answer, by a failing agent CLI on stderr, in a JUnit report's test names and failure
/// messages — is nowhere to be found afterwards: not in any API response of the run, not on <c>/ws</c>, not in the
/// prompt and context files the next step gets, and not in the SQLite files.
/// </summary>
public sealed class SecretLeakTests : IAsyncLifetime
{
    // '+', '/', '=' and 'é' change base64 and URL forms; '"', '\', '<', '&', '>' change JSON and XML ones; the newline
    // makes a step print it over two lines.
    private const string Leaky = "p+q/r\"s\\t<u&v>w=xé\nline-two-Zk9";

    private const string PrintEveryForm = """
        printf '%s\n' "$LEAKY"
        printf '%s' "$LEAKY" | base64 -w0; echo
        printf 'x%s' "$LEAKY" | base64 -w0; echo
        printf 'xy%s' "$LEAKY" | base64 -w0; echo
        printf '%s' "$LEAKY" | base64 -w0 | tr '+/' '-_' | tr -d '='; echo
        printf '%s' "$LEAKY" | base64 -w0 | base64 -w0; echo
        node -e 'const s = process.env.LEAKY; console.log(JSON.stringify(s)); console.log(JSON.stringify({s})); console.log(encodeURIComponent(s))'
        node -e 'console.log(JSON.stringify(process.env.LEAKY).slice(1, -1).replace(/\\"/g, "\\u0022").replace(/[+<>&\x27`\u0080-\uffff]/g, c => "\\u" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")))'
        python3 -c 'import json, os, urllib.parse; s = os.environ["LEAKY"]; print(json.dumps(s)); print(urllib.parse.quote_plus(s))'
        xml=$(printf '%s' "$LEAKY" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
        printf '%s\n' "$xml"
        printf '<testsuite name="leak"><testcase classname="leak" name="case %s"><failure message="expected %s">%s</failure><system-out>%s</system-out></testcase></testsuite>\n' "$xml" "$xml" "$xml" "$xml" > report.xml
        echo "failing with $LEAKY" >&2
        exit 1
        """;

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TempDir _work = new();
    private readonly TempDir _capture = new("leak-capture");
    private ClaudeHost _claude = null!;

    private LazyAfHost Host => _claude.Host;

    public async Task InitializeAsync() => _claude = await ClaudeHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _claude.DisposeAsync();
        _capture.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task A_secret_of_special_characters_is_absent_in_every_form_from_every_output_of_the_run()
    {
        // Each form searched for below is one the steps really print: run here, unmasked, the script prints them all.
        var printed = await PrintedUnmaskedAsync();
        Assert.All(Needles(), needle => Assert.True(printed.Contains(needle.Form, StringComparison.Ordinal), $"{needle.Name} is not printed: {needle.Form}"));

        var repo = await SeededRepo.CreateAsync(Host, _work, "leaky");
        await (await Host.Client.PutJsonAsync($"/api/repos/{repo.Id}/secrets/LEAKY", new { value = Leaky })).JsonAsync(HttpStatusCode.NoContent);
        await PipelineRuns.CommitPipelineAsync(repo, "leak", Pipeline(_capture.Path));
        _claude.Model.Play(
            ModelTurn.Call("Bash", new { command = "printf '%s\\n' \"$LEAKY\"; printf '%s' \"$LEAKY\" | base64 -w0", description = "show the secret" }),
            ModelTurn.Say("The secret is " + Leaky));

        var runs = new PipelineRuns(Host);
        var run = await runs.SettledAsync(await runs.RunAsync(repo.Id, "leak"));
        var card = await CreateClaudeCardAsync(repo.Id);
        var cardRun = await StartAsync(card);
        await SettledAsync(card);

        var outputs = new Dictionary<string, string>();
        var (test, fix) = (FirstExecutionOf(run, "test"), FirstExecutionOf(run, "fix"));
        string[] executions = [.. AllExecutionsOf(run), cardRun];
        foreach (var path in (string[])[$"/api/pipeline-runs/{run.Str("id")}", $"/api/pipeline-runs?repo_id={repo.Id}", $"/api/cards/{card}", $"/api/cards/{card}/events", $"/api/repos/{repo.Id}/cards"])
            outputs[path] = await Host.Client.GetStringAsync(path);
        foreach (var execution in executions)
        {
            foreach (var part in (string[])["", "/logs", "/events"])
                outputs[$"/api/executions/{execution}{part}"] = await Host.Client.GetStringAsync($"/api/executions/{execution}{part}");
        }
        outputs["/ws"] = await EveryLiveMessageAsync(repo.Id);
        outputs["the fix step's prompt"] = await File.ReadAllTextAsync(Path.Combine(_capture.Path, "prompt.txt"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_capture.Path, "context"), "*", SearchOption.AllDirectories))
            outputs["the fix step's " + Path.GetFileName(file)] = await File.ReadAllTextAsync(file);
        foreach (var file in Directory.EnumerateFiles(Host.DataDir, "lazyaf.db*"))
            outputs[Path.GetFileName(file)] = Encoding.UTF8.GetString(await ReadSharedAsync(file));

        // The steps did print it, in every form: the log shows where it was masked.
        var scriptLog = outputs[$"/api/executions/{test}/logs"];
        Assert.True(CountOf("***", scriptLog) >= 10, scriptLog);
        Assert.Contains("failing with ***", scriptLog, StringComparison.Ordinal);
        Assert.Contains("stopping with ***", outputs[$"/api/executions/{fix}"], StringComparison.Ordinal);
        Assert.Contains("leak.case", outputs[$"/api/pipeline-runs/{run.Str("id")}"], StringComparison.Ordinal);
        Assert.Contains("key=***", outputs[$"/api/executions/{fix}/logs"], StringComparison.Ordinal);
        Assert.Contains("The secret is ***", outputs[$"/api/executions/{cardRun}/events"], StringComparison.Ordinal);

        var leaks = (
            from output in outputs
            from text in Readings(output.Value)
            from needle in Needles()
            where text.Contains(needle.Form, StringComparison.Ordinal)
            select $"{output.Key}: {needle.Name}").Distinct().ToList();
        Assert.True(leaks.Count == 0, "the secret leaked:\n" + string.Join('\n', leaks));
    }

    private static string Pipeline(string capture) => $$$"""
        name: leak
        max_attempts: 2
        steps:
          - id: test
            config:
              secrets: [LEAKY]
              command: |
        {{{string.Join('\n', PrintEveryForm.Split('\n').Select(line => "          " + line))}}}
            on_failure: run:fix
          - id: fix
            type: agent
            config:
              agent: command
              prompt_template: "Fix these: {{test_failures}} after: {{previous_output}}"
              command: 'cp "$LAZYAF_PROMPT_FILE" {{{capture}}}/prompt.txt; cp -r .lazyaf-context {{{capture}}}/context; echo "key=$ANTHROPIC_API_KEY"; echo "stopping with $ANTHROPIC_API_KEY" >&2; exit 3'
        """;

    /// <summary>
    /// The secret in every form the masker must catch, computed here from the secret with the platform's own encoders
    /// (not the masker's), at least 4 characters of it in each.
    /// </summary>
    private static IEnumerable<(string Name, string Form)> Needles()
    {
        var bytes = Encoding.UTF8.GetBytes(Leaky);
        yield return ("raw", Leaky);
        foreach (var line in Leaky.Split('\n'))
            yield return ("a line of it", line);
        yield return ("base64", Convert.ToBase64String(bytes));
        foreach (var prefix in (string[])["", "x", "xy"])
        {
            // Whatever comes before it in the printed text, the middle of its base64 does not depend on it.
            var aligned = Convert.ToBase64String([.. Encoding.UTF8.GetBytes(prefix), .. bytes]);
            yield return ($"base64 after {prefix.Length} bytes", aligned[4..^4]);
        }
        yield return ("base64url", Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        yield return ("double base64", Convert.ToBase64String(Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes)))[4..^4]);
        yield return ("JSON (.NET)", JsonSerializer.Serialize(Leaky)[1..^1]);
        yield return ("JSON (relaxed, as Node writes it)", Relaxed(Leaky));
        yield return ("JSON (ASCII only, as Python writes it)", Relaxed(Leaky).Replace("é", "\\u00e9", StringComparison.Ordinal));
        yield return ("URL", Uri.EscapeDataString(Leaky));
        yield return ("URL (form)", WebUtility.UrlEncode(Leaky));
        yield return ("XML", SecurityElement.Escape(Leaky)!);
        foreach (var line in SecurityElement.Escape(Leaky)!.Split('\n'))
            yield return ("a line of its XML", line);
    }

    private static string Relaxed(string value) => JsonSerializer.Serialize(value, RelaxedJson)[1..^1];

    /// <summary>The text itself, and for JSON (a document, or one per line) every string in it, decoded.</summary>
    private static IEnumerable<string> Readings(string text)
    {
        yield return text;
        foreach (var line in text.Split('\n').Prepend(text).Where(l => l.StartsWith('{') || l.StartsWith('[')))
        {
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;
            }
            foreach (var value in Strings(json))
                yield return value;
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private static IEnumerable<string> AllExecutionsOf(JsonElement run) =>
        from step in run.GetProperty("steps").EnumerateArray()
        from attempt in step.GetProperty("attempts").EnumerateArray()
        select attempt.Str("execution_id");

    private static string FirstExecutionOf(JsonElement run, string step) =>
        PipelineRuns.Step(run, step).GetProperty("attempts")[0].Str("execution_id");

    /// <summary>Every message <c>/ws</c> has for the run, from the first: read until a card created after everything else shows up.</summary>
    private async Task<string> EveryLiveMessageAsync(string repoId)
    {
        var sentinel = (await (await Host.Client.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title = "sentinel", description = "created last", step_type = "script", step_config = new { command = "true" } })).JsonAsync(HttpStatusCode.Created)).Str("id");
        await using var live = await LiveClient.ConnectAsync(Host, topics: null, after: 0);
        var all = new StringBuilder();
        JsonElement message;
        do
        {
            message = await live.NextAsync();
            all.Append(message.GetRawText()).Append('\n');
        }
        while (!message.GetRawText().Contains(sentinel, StringComparison.Ordinal));
        return all.ToString();
    }

    private async Task<string> CreateClaudeCardAsync(string repoId) =>
        (await (await Host.Client.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title = "Show the secret", description = "Print it", step_type = "agent", step_config = new { agent = "claude-code", model = "claude-scripted", secrets = new[] { "LEAKY" } } }))
            .JsonAsync(HttpStatusCode.Created)).Str("id");

    private async Task<string> StartAsync(string cardId)
    {
        using var response = await Host.Client.PostAsync($"/api/cards/{cardId}/start", null);
        await response.JsonAsync(HttpStatusCode.Accepted);
        return response.Headers.Location!.ToString().Split('/')[^1];
    }

    private async Task SettledAsync(string cardId)
    {
        JsonElement card = default;
        await Eventually.HoldsAsync(
            () => (card = Host.Client.GetAsync($"/api/cards/{cardId}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("status") != "in_progress",
            () => card.ToString(),
            TimeSpan.FromSeconds(90));
        Assert.Equal("in_review", card.Str("status"));
    }

    private async Task<string> PrintedUnmaskedAsync()
    {
        var start = new ProcessStartInfo("bash", ["-c", PrintEveryForm])
        {
            WorkingDirectory = Directory.CreateDirectory(Path.Combine(_capture.Path, "unmasked")).FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["LEAKY"] = Leaky;
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        return await stdout + await stderr + await File.ReadAllTextAsync(Path.Combine(start.WorkingDirectory, "report.xml"));
    }

    private static int CountOf(string part, string text) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return copy.ToArray();
    }
}
