using LazyAf.Host;

// The content root is where the host's files are, so appsettings.json is found from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLazyAfConfiguration(args);
if (LoopbackGuard.Refusal(builder.Configuration) is { } refusal)
{
    await Console.Error.WriteLineAsync(refusal);
    return 1;
}

builder.AddServiceDefaults();
builder.Services.AddModules();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapModules();
app.MapBoard();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the tests that start the real host.</summary>
public partial class Program;
