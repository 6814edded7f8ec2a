using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Cli;

/// <summary>Issue 6's command names: <c>acoustic voice enrol|identify|purge</c>; no token → exit 4, audited.</summary>
public class VoiceIdentificationContractTests
{
    [Fact]
    public void VoiceIdentifyWithoutATokenIsRefusedWithExit4AndAudited()
    {
        string store = Path.Combine(CliHarness.TempDir(), "store");
        Assert.Equal(0, CliHarness.Run("trust", "init", "--sensor", "s1", "--store", store).ExitCode);
        string wav = CliHarness.WriteWav(Path.Combine(CliHarness.TempDir(), "a.wav"), Signals.Sine(200, 0.3, 16000, 16000), 16000, 1);

        var r = CliHarness.Run("voice", "identify", wav, "--store", store);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("no_token", r.Error);

        var enrol = CliHarness.Run("voice", "enrol", "--subject", "alice", wav, "--store", store);
        Assert.Equal(4, enrol.ExitCode);

        var audit = CliHarness.Run("audit", "show", "--store", store, "--format", "jsonl");
        Assert.Equal(2, audit.JsonRecords().Count(x => x.TryGetValue("reason", out var reason) && reason.GetString() == "no_token"));
        Assert.Equal(0, CliHarness.Run("audit", "verify", "--store", store).ExitCode);
    }

    [Fact]
    public void VoicePurgeRunsTheRetentionSweep()
    {
        string store = Path.Combine(CliHarness.TempDir(), "store");
        Assert.Equal(0, CliHarness.Run("trust", "init", "--sensor", "s1", "--store", store).ExitCode);
        var r = CliHarness.Run("voice", "purge", "--store", store);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("voiceprint(s) deleted", r.Out);
    }
}
