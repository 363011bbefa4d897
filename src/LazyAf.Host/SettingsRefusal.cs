using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using Microsoft.Extensions.Options;

namespace LazyAf.Host;

/// <summary>
/// Runs the host until it stops, after checking its settings and taking its data directory (<see cref="DataDirectoryLock"/>):
/// a bad setting or a directory another host holds ends it before it starts, with one
/// <c>lazyaf: setting …</c> line per bad setting on stderr and exit code 1, as the CLI reports bad input.
/// </summary>
internal static class SettingsRefusal
{
    public static async Task<int> RunCheckingSettingsAsync(this WebApplication app)
    {
        try
        {
            // Before the host starts: it builds its hosted services first, and the first of them to read a bad setting
            // would end the start before every setting was checked.
            app.Services.GetService<IStartupValidator>()?.Validate();
            app.Services.GetRequiredService<DataDirectoryLock>().Acquire();
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (SettingsServices.Failures(e) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
                await Console.Error.WriteLineAsync($"lazyaf: {failure}");
            return 1;
        }
        catch (DataDirectoryInUseException e)
        {
            await Console.Error.WriteLineAsync($"lazyaf: {e.Message}");
            return 1;
        }
    }
}
