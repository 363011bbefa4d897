using System.Runtime.InteropServices;

namespace LazyAf.Runner.Processes;

/// <summary>A user account of this machine, as getpwnam(3) sees it (so also users from LDAP or other NSS sources).</summary>
/// <param name="Name">The login name.</param>
/// <param name="Uid">Its user id.</param>
/// <param name="Gid">Its login group.</param>
/// <param name="Home">Its home directory.</param>
public sealed partial record UnixUser(string Name, uint Uid, uint Gid, string Home)
{
    /// <summary>The user called <paramref name="name"/>, or null when this machine has none (or is not Unix).</summary>
    public static UnixUser? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (OperatingSystem.IsWindows() || name.Length == 0)
            return null;
        var entry = GetPwNam(name);
        if (entry == IntPtr.Zero)
            return null;
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos; char *pw_dir; … }
        // (glibc and musl, 32 and 64 bit): two pointers, two 32-bit ids, then pointers again.
        var pointer = IntPtr.Size;
        var uid = (uint)Marshal.ReadInt32(entry, 2 * pointer);
        var gid = (uint)Marshal.ReadInt32(entry, (2 * pointer) + 4);
        var home = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry, (3 * pointer) + 8)) ?? "/";
        return new UnixUser(name, uid, gid, home);
    }

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetPwNam(string name);
}
