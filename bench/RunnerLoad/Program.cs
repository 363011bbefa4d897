// The runner benchmarks (bench/runner-load.sh runs them): each command prints Markdown to stdout and exits 1 when what
// it checks besides timings (every log line once and in order, every simulated runner connected) does not hold.
//   logs      --api URL --token OWNER --repo ID [--requires LABEL] [--lines 2000] [--name NAME]
//   fleet     --api URL --token OWNER --runner-url URL --pid HOSTPID [--runners 1000] [--hold 60] [--baseline 20] [--warmup 10]
//   footprint --runner-url URL --api URL --token OWNER --name NAME -- PROGRAM [ARGS…]
using RunnerLoad;

var (command, options, program) = Options.Parse(args);
return command switch
{
    "logs" => await LogLatency.RunAsync(options),
    "fleet" => await Fleet.RunAsync(options),
    "footprint" => await Footprint.RunAsync(options, program),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RunnerLoad logs|fleet|footprint --option value … [-- program args…] (see Program.cs)");
    return 2;
}
