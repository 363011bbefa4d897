using LazyAf.Runner;
using LazyAf.Runner.Remote;
using LazyAf.Runner.Steps;

// The Native AOT agent: no Docker client, so script and agent steps run as processes on the board itself.
var program = new AgentProgram("lazyaf-native-agent", "0.1.0");
return await RemoteAgent.RunAsync(program, args, (setup, _) => Task.FromResult<IReadOnlyList<IStepKind>>([new ScriptStepKind(), setup.AgentSteps()]));
