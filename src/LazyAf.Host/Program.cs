using LazyAf.Host;
using LazyAf.Modules.Access;

args = ExposureGuard.ExpandSwitches(args);
// The content root is where the host's files are, so appsettings.json is found from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLazyAfConfiguration(args);
if (ExposureGuard.Refusal(builder.Configuration) is { } refusal)
{
    await Console.Error.WriteLineAsync(refusal);
    return 1;
}
if (ExposureGuard.Announcement(builder.Configuration) is { } exposed)
    await Console.Out.WriteLineAsync(exposed);

builder.AddServiceDefaults();
builder.AddRunnerEndpoint();
builder.Services.AddModules();
builder.AddMcpEndpoint();

var app = builder.Build();
app.UseServiceDefaults();
app.UseBoardFiles();
app.UseAccess();
app.MapDefaultEndpoints();
app.MapModules();
app.MapMcpEndpoint();
app.MapBoard();
app.ReleaseStartupGarbage();
return await app.RunCheckingSettingsAsync();

/// <summary>The entry point, visible to the tests that start the real host.</summary>
public partial class Program;
