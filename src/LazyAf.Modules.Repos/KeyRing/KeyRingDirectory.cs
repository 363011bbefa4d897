using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging.Abstractions;

namespace LazyAf.Modules.Repos.KeyRing;

/// <summary>
/// The data-protection key ring on disk (<c>keys/</c> in the data directory): the directory 0700 and every key file
/// 0600, so no other user of the machine can read the keys that decrypt the secrets in the database.
/// </summary>
internal sealed class KeyRingDirectory : IXmlRepository
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly DirectoryInfo _directory;
    private readonly FileSystemXmlRepository _files;

    public KeyRingDirectory(string path)
    {
        _directory = Directory.CreateDirectory(path);
        Restrict();
        _files = new FileSystemXmlRepository(_directory, NullLoggerFactory.Instance);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        Restrict();
    }

    // Every file, so a key ring an older host left with default modes is closed too.
    private void Restrict()
    {
        if (OperatingSystem.IsWindows())
            return;
        File.SetUnixFileMode(_directory.FullName, OwnerOnly | UnixFileMode.UserExecute);
        foreach (var file in _directory.EnumerateFiles())
            File.SetUnixFileMode(file.FullName, OwnerOnly);
    }
}
