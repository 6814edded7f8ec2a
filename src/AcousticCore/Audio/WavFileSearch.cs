namespace AcousticCore.Audio;

/// <summary>Finds the WAV files under a folder, the way every command and the training loader look for them.</summary>
public static class WavFileSearch
{
    /// <summary>
    /// Every <c>*.wav</c> (any case) under <paramref name="folder"/>, recursively, in ordinal path order. A linked folder is
    /// entered only if its target was not entered before (folders are walked in ordinal order), so a link back up the tree
    /// cannot loop and a folder reached two ways is listed once; a broken link to a folder is skipped.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folder"/> does not exist.</exception>
    public static List<string> Under(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"No such folder: {folder}");
        var found = new List<string>();
        var entered = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            string dir = pending.Pop();
            if (!entered.Add(Identity(dir))) continue;
            foreach (string file in Directory.EnumerateFiles(dir))
            {
                if (file.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)) found.Add(file);
            }

            // Pushed in reverse ordinal order, so folders are entered in ordinal order and which of two ways into one
            // folder is listed does not depend on the file system's order.
            var subfolders = Directory.GetDirectories(dir);
            Array.Sort(subfolders, StringComparer.Ordinal);
            for (int i = subfolders.Length - 1; i >= 0; i--)
            {
                if (Directory.Exists(subfolders[i])) pending.Push(subfolders[i]);   // false for a link whose target is gone
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>
    /// The folder's real path: every link on the way resolved, each relative target against the real folder that holds the
    /// link (as the operating system does), so every way into one folder gives one identity.
    /// </summary>
    private static string Identity(string dir) => RealPath(Path.GetFullPath(dir), 0);

    private static string RealPath(string fullPath, int depth)
    {
        if (depth > 40) return fullPath;   // a link loop: the OS itself refuses more; any fixed identity ends the walk
        string root = Path.GetPathRoot(fullPath) ?? "";
        string real = root;
        foreach (string part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(real, part);
            string? target = new DirectoryInfo(next).LinkTarget;
            real = target is null ? next : RealPath(Path.GetFullPath(target, real), depth + 1);
        }

        return Path.TrimEndingDirectorySeparator(real);
    }
}
