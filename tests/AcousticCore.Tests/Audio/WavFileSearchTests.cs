using AcousticCore.Audio;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Audio;

public sealed class WavFileSearchTests
{
    [Fact]
    public void FindsEveryWavOnceInOrdinalOrderEvenThroughALinkBackUp()
    {
        string root = CliHarness.TempDir();
        Directory.CreateDirectory(Path.Combine(root, "b", "deep"));
        Directory.CreateDirectory(Path.Combine(root, "a"));
        foreach (string f in new[] { "b/deep/z.WAV", "a/x.wav", "a/notes.txt", "c.wav" }) File.WriteAllText(Path.Combine(root, f), "");
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateSymbolicLink(Path.Combine(root, "b", "deep", "up"), root);              // a loop
            Directory.CreateSymbolicLink(Path.Combine(root, "gone"), Path.Combine(root, "nowhere"));  // a broken link
            Directory.CreateSymbolicLink(Path.Combine(root, "b", "other-way-to-a"), Path.Combine(root, "a"));  // a/ listed once, as a/
        }

        var found = WavFileSearch.Under(root);
        string[] expected = [Path.Combine(root, "a", "x.wav"), Path.Combine(root, "b", "deep", "z.WAV"), Path.Combine(root, "c.wav")];
        Assert.Equal(expected, found);
        Assert.Throws<DirectoryNotFoundException>(() => WavFileSearch.Under(Path.Combine(root, "nowhere")));
    }

    [Fact]
    public void RelativeLinksAndLinksIntoLinkedFoldersAreFollowedOnce()
    {
        if (OperatingSystem.IsWindows()) return;   // symbolic links need privileges there
        string root = CliHarness.TempDir();
        // A loop through a relative link inside a linked folder: L/a -> O/t, and O/t/b -> ../t (O/t itself).
        Directory.CreateDirectory(Path.Combine(root, "O", "t"));
        File.WriteAllText(Path.Combine(root, "O", "t", "x.wav"), "");
        Directory.CreateDirectory(Path.Combine(root, "L"));
        Directory.CreateSymbolicLink(Path.Combine(root, "L", "a"), Path.Combine(root, "O", "t"));
        Directory.CreateSymbolicLink(Path.Combine(root, "O", "t", "b"), Path.Combine("..", "t"));
        Assert.Equal([Path.Combine(root, "L", "a", "x.wav")], WavFileSearch.Under(Path.Combine(root, "L")));

        // One folder reached through a link to its parent and through a link to itself: T/a -> T/z, T/m -> T/z/y.
        Directory.CreateDirectory(Path.Combine(root, "T", "z", "y"));
        File.WriteAllText(Path.Combine(root, "T", "z", "y", "w.wav"), "");
        Directory.CreateSymbolicLink(Path.Combine(root, "T", "a"), Path.Combine(root, "T", "z"));
        Directory.CreateSymbolicLink(Path.Combine(root, "T", "m"), Path.Combine(root, "T", "z", "y"));
        Assert.Equal([Path.Combine(root, "T", "a", "y", "w.wav")], WavFileSearch.Under(Path.Combine(root, "T")));
    }

    [Fact]
    public void AnalyzeAndClassifyReportAFileThatCannotBeOpenedAndGoOn()
    {
        string root = CliHarness.TempDir();
        var tone = Enumerable.Range(0, 32000).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / 16000.0))).ToArray();
        CliHarness.WriteWav(Path.Combine(root, "a.wav"), tone, 16000, 1);
        CliHarness.WriteWav(Path.Combine(root, "c.wav"), tone, 16000, 1);
        if (OperatingSystem.IsWindows()) File.WriteAllText(Path.Combine(root, "b.wav"), "not a wav");
        else File.CreateSymbolicLink(Path.Combine(root, "b.wav"), Path.Combine(root, "missing.wav"));   // listed, cannot be opened

        foreach (string command in new[] { "analyze", "classify" })
        {
            var run = CliHarness.Run(command, root, "--format", "jsonl");
            Assert.True(run.ExitCode == 3, $"{command}: exit {run.ExitCode} {run.Error}");
            Assert.Single(run.Error.Split('\n'), l => l.Contains("b.wav", StringComparison.Ordinal));
            var summaries = run.JsonRecords().Where(r => r["kind"].GetString() == "summary").Select(r => Path.GetFileName(r["file"].GetString())).ToList();
            Assert.Equal(["a.wav", "c.wav"], summaries);
        }

        // A folder without WAV files: a usage error for analyze (2), bad input for classify (3), as each has always said.
        string empty = Path.Combine(root, "empty");
        Directory.CreateDirectory(empty);
        foreach (var (command, code) in new[] { ("analyze", 2), ("classify", 3) })
        {
            var run = CliHarness.Run(command, empty);
            Assert.Equal(code, run.ExitCode);
            Assert.Contains("folder holds no .wav files", run.Error, StringComparison.Ordinal);
        }

        if (File.Exists("/dev/full"))
        {
            // An output that cannot be written is not blamed on an input file.
            var full = CliHarness.Run("analyze", Path.Combine(root, "a.wav"), Path.Combine(root, "c.wav"), "--format", "jsonl", "--out", "/dev/full");
            Assert.NotEqual(0, full.ExitCode);
            Assert.DoesNotContain("a.wav", full.Error, StringComparison.Ordinal);
            Assert.Contains("/dev/full", full.Error, StringComparison.Ordinal);
        }
    }
}
