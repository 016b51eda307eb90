using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/WorkflowBench -- --filter '*'   (add --job short for a quick run)
BenchmarkSwitcher.FromAssembly(typeof(WorkflowBench.ActivityThroughput).Assembly).Run(args);
