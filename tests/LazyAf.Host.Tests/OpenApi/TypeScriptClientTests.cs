using System.Diagnostics;
using System.Globalization;
using System.Text;
using LazyAf.Testing;

namespace LazyAf.Host.Tests.OpenApi;

/// <summary>
/// A client generated from the document, as the board generates its own: <c>openapi-typescript</c> writes the types,
/// then <c>tsc</c> checks that each endpoint's every declared response and error (and its body) is in them.
/// </summary>
public sealed class TypeScriptClientTests(ApiDocumentFixture api) : IClassFixture<ApiDocumentFixture>
{
    [Fact]
    public async Task The_generated_typescript_client_has_every_response_and_error_of_every_endpoint()
    {
        using var dir = new TempDir("lazyaf-openapi-ts");
        await File.WriteAllTextAsync(dir.Combine("openapi.json"), api.Json);
        var generated = await RunAsync(OpenApiCheck.Tool("openapi-typescript"), dir.Path, "openapi.json", "-o", "api.d.ts");
        Assert.True(generated.ExitCode == 0, $"openapi-typescript failed:\n{generated.Output}");

        var (checks, lines) = Checks(api.Endpoints);
        await File.WriteAllTextAsync(dir.Combine("check.ts"), checks);
        var compiled = await RunAsync(OpenApiCheck.Tool("tsc"), dir.Path,
            "--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "check.ts");

        Assert.True(compiled.ExitCode == 0, "The generated client lacks what endpoints declare:\n" + Explain(compiled.Output, lines));
    }

    /// <summary>One type alias per thing the client must have; each line's endpoint and expectation, for the failure message.</summary>
    private static (string Source, Dictionary<int, string> Lines) Checks(IEnumerable<ApiEndpoint> endpoints)
    {
        var source = new StringBuilder("""
            import type { components, operations } from "./api";
            type Expect<T extends true> = T;
            type IsKnown<T> = unknown extends T ? false : true;
            type IsProblem<T> = unknown extends T ? false : T extends components["schemas"]["ProblemDetails"] ? true : false;
            type HasJsonBody<T> = [NonNullable<T>] extends [never] ? false : NonNullable<T> extends { content: { "application/json": unknown } } ? true : false;

            """);
        var lines = new Dictionary<int, string>();
        var count = 0;
        foreach (var endpoint in endpoints)
        {
            var operation = $"operations[\"{endpoint.Name}\"]";
            if (endpoint.JsonBody is not null)
                Add($"HasJsonBody<{operation}[\"requestBody\"]>", $"{endpoint}: its JSON request body");
            foreach (var response in endpoint.Responses)
            {
                var status = response.StatusCode.ToString(CultureInfo.InvariantCulture);
                var declared = $"{operation}[\"responses\"][{status}]";
                if (response.StatusCode >= 400)
                    Add($"IsProblem<{declared}[\"content\"][\"application/problem+json\"]>", $"{endpoint}: its {status} problem");
                else if (response.Type is null || response.Type == typeof(void))
                    Add($"{declared} extends object ? true : false", $"{endpoint}: its {status} response");
                else
                    foreach (var contentType in response.ContentTypes)
                        Add($"IsKnown<{declared}[\"content\"][\"{contentType}\"]>", $"{endpoint}: its {status} {contentType} body");
            }
        }
        return (source.ToString(), lines);

        void Add(string check, string what)
        {
            source.Append(CultureInfo.InvariantCulture, $"type Check{count++} = Expect<{check}>;\n");
            lines[source.ToString().Count(c => c == '\n')] = what;
        }
    }

    /// <summary>tsc's errors, each with what the failing line checks.</summary>
    private static string Explain(string output, Dictionary<int, string> lines) =>
        string.Join('\n', output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
            line.StartsWith("check.ts(", StringComparison.Ordinal) && int.TryParse(line["check.ts(".Length..line.IndexOf(',', StringComparison.Ordinal)], out var number)
                && lines.TryGetValue(number, out var what)
                ? $"{what} is missing ({line})"
                : line));

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
