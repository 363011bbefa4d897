using System.Globalization;

namespace CardsLoad;

/// <summary>The knobs of a run; every one has a default, so <c>dotnet CardsLoad.dll</c> alone is a full run.</summary>
internal sealed record Options
{
    /// <summary>The host to load; null to start one from <see cref="HostDir"/> with a fresh data dir.</summary>
    public Uri? Server { get; init; }

    /// <summary>The host's process id, for its peak RSS and CPU time (only for a host this tool did not start).</summary>
    public int? Pid { get; init; }

    /// <summary>Where <c>LazyAf.Host.dll</c> is (Release output), when the tool starts the host.</summary>
    public string HostDir { get; init; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/LazyAf.Host/bin/Release/net10.0"));

    /// <summary>
    /// The host's board folder (its <c>Board:Path</c>), where the static reference (the first page's bytes) is written
    /// and served from; null: no reference.
    /// </summary>
    public string? BoardDir { get; init; }

    /// <summary>The owner's token (the data dir's <c>owner.token</c>): every API call needs a credential, on loopback too.</summary>
    public string? Token { get; init; }

    public int Repos { get; init; } = 20;
    public int CardsPerRepo { get; init; } = 500;
    public int SeedConcurrency { get; init; } = 4;
    public int ListRequests { get; init; } = 2000;
    public int ListWarmup { get; init; } = 200;
    public IReadOnlyList<int> ListConcurrency { get; init; } = [1, 8];
    public int Subscribers { get; init; } = 200;
    public int Updates { get; init; } = 1000;
    public int PatchConcurrency { get; init; } = 1;

    /// <summary>Seconds to wait for the last events to reach every subscriber.</summary>
    public int DrainSeconds { get; init; } = 30;

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--server" => options with { Server = new Uri(value) },
                "--pid" => options with { Pid = Int(value) },
                "--host-dir" => options with { HostDir = Path.GetFullPath(value) },
                "--board-dir" => options with { BoardDir = Path.GetFullPath(value) },
                "--token" => options with { Token = value },
                "--repos" => options with { Repos = Int(value) },
                "--cards-per-repo" => options with { CardsPerRepo = Int(value) },
                "--seed-concurrency" => options with { SeedConcurrency = Int(value) },
                "--list-requests" => options with { ListRequests = Int(value) },
                "--list-warmup" => options with { ListWarmup = Int(value) },
                "--list-concurrency" => options with { ListConcurrency = [.. value.Split(',').Select(Int)] },
                "--subscribers" => options with { Subscribers = Int(value) },
                "--updates" => options with { Updates = Int(value) },
                "--patch-concurrency" => options with { PatchConcurrency = Int(value) },
                "--drain-seconds" => options with { DrainSeconds = Int(value) },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
            i++;
        }
        return options;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
