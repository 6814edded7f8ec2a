using System.Security.Cryptography;
using System.Text;

namespace AcousticCore.Policy;

/// <summary>Small file helpers: atomic replace, owner-only permissions, hashing of names.</summary>
internal static class StoreFiles
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates a directory readable only by its owner (on Unix).</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerAll);
            File.SetUnixFileMode(path, OwnerAll);
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file in the same directory, flushes it to
    /// disk, then renames it over <paramref name="path"/>, so a crash leaves the old or the new
    /// file, never a torn one. The file is owner-read/write only on Unix.
    /// </summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> content)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)) + ".tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerReadWrite;
            using (var fs = new FileStream(tmp, options))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }

            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Writes UTF-8 text atomically.</summary>
    public static void WriteAtomic(string path, string text) => WriteAtomic(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Reads a small file, refusing anything larger than <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadSmall(string path, int maxBytes)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (fs.Length > maxBytes)
        {
            throw new PolicyStoreException(path, $"file is {fs.Length} bytes, more than the {maxBytes} allowed");
        }

        var buffer = new byte[fs.Length];
        fs.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Lower-case hex SHA-256 of UTF-8 text; used to name files after ids without exposing them.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Overwrites a file with zeros, then deletes it (best effort against casual recovery).</summary>
    public static void Shred(string path)
    {
        if (!File.Exists(path)) return;
        long length = new FileInfo(path).Length;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            var zeros = new byte[Math.Min(length, 65536)];
            for (long done = 0; done < length; done += zeros.Length)
            {
                fs.Write(zeros, 0, (int)Math.Min(zeros.Length, length - done));
            }

            fs.Flush(flushToDisk: true);
        }

        File.Delete(path);
    }
}
