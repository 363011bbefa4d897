namespace LazyAf.Testing;

/// <summary>Waits for something asynchronous (an event delivery, a state change) without fixed sleeps.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; on timeout throws with <paramref name="describe"/>'s account of what was seen.</summary>
    public static Task HoldsAsync(Func<bool> condition, Func<string> describe, TimeSpan? timeout = null) =>
        HoldsAsync(() => Task.FromResult(condition()), () => Task.FromResult(describe()), timeout);

    /// <summary>Polls an asynchronous <paramref name="condition"/> (an API call, a git query) until it holds.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<Task<string>> describe, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition did not hold in time. Seen: {await describe()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="read"/> until what it reads satisfies <paramref name="holds"/>, and returns that.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> holds, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (holds(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition did not hold in time. Last read: {value}");
            await Task.Delay(20);
        }
    }
}
