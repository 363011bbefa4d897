namespace LazyAf.Runner.Remote;

/// <summary>
/// The runner's id and the credential the host issued at its first hello, kept in <c>runner-identity</c> in the state
/// directory (mode 0600) so a restarted agent is the same runner and needs no registration token again.
/// </summary>
internal sealed class RunnerIdentity(string stateDir)
{
    private readonly string _file = Path.Combine(stateDir, "runner-identity");

    public string? RunnerId { get; private set; }

    public string? Credential { get; private set; }

    public string File => _file;

    public void Load()
    {
        if (!System.IO.File.Exists(_file))
            return;
        var lines = System.IO.File.ReadAllLines(_file);
        if (lines.Length < 2)
            return;
        RunnerId = lines[0].Trim();
        Credential = lines[1].Trim();
    }

    public void Save(string runnerId, string credential)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        var temporary = _file + ".new";
        var created = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            created.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, created))
        using (var writer = new StreamWriter(stream))
            writer.Write($"{runnerId}\n{credential}\n");
        System.IO.File.Move(temporary, _file, overwrite: true);
        RunnerId = runnerId;
        Credential = credential;
    }
}
