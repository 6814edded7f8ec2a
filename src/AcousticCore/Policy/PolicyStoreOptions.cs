namespace AcousticCore.Policy;

/// <summary>Where a sensor store lives and which clock it uses.</summary>
public sealed class PolicyStoreOptions
{
    /// <summary>Options for the store in <paramref name="directory"/>.</summary>
    public PolicyStoreOptions(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = System.IO.Path.GetFullPath(directory);
    }

    /// <summary>Absolute path of the store directory.</summary>
    public string Directory { get; }

    /// <summary>Clock for token lifetimes, retention and audit times. Default: the system clock (UTC).</summary>
    public TimeProvider TimeProvider { get; init => field = value ?? throw new ArgumentNullException(nameof(value)); } = TimeProvider.System;

    /// <summary>
    /// The default store directory: <c>$ACOUSTIC_HOME</c> when set, else the per-user data folder
    /// (<c>~/.local/share/acoustic</c> on Linux).
    /// </summary>
    public static string DefaultDirectory()
    {
        string? home = Environment.GetEnvironmentVariable("ACOUSTIC_HOME");
        if (!string.IsNullOrWhiteSpace(home)) return System.IO.Path.GetFullPath(home);
        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(data))
        {
            data = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return System.IO.Path.Combine(data, "acoustic");
    }
}
