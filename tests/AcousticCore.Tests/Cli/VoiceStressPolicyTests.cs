using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Cli;

/// <summary>Issue 6 item 9: a deployment policy may require a token for voice stress features too.</summary>
public class VoiceStressPolicyTests
{
    [Fact]
    public void VoiceFeaturesFollowTheStorePolicyFlag()
    {
        string dir = CliHarness.TempDir();
        string store = Path.Combine(dir, "store"), auth = Path.Combine(dir, "auth");
        string wav = CliHarness.WriteWav(Path.Combine(dir, "v.wav"), Signals.Sine(150, 0.3, 16000, 16000), 16000, 1);
        Assert.Equal(0, CliHarness.Run("authority", "keygen", "--out", auth, "--issuer", "Court").ExitCode);
        Assert.Equal(0, CliHarness.Run("trust", "init", "--sensor", "s1", "--store", store).ExitCode);
        Assert.Equal(0, CliHarness.Run("trust", "add", Path.Combine(auth, "authority.pub.pem"), "--store", store).ExitCode);

        // Flag off (the default): no token needed.
        Assert.Equal(0, CliHarness.Run("voice", "features", wav, "--store", store, "--format", "jsonl").ExitCode);

        string policyFile = Path.Combine(store, "policy.json");
        File.WriteAllText(policyFile, File.ReadAllText(policyFile).Replace("\"voice_stress_requires_token\": false", "\"voice_stress_requires_token\": true", StringComparison.Ordinal));
        var refused = CliHarness.Run("voice", "features", wav, "--store", store, "--format", "jsonl");
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("no_token", refused.Error);
        Assert.Equal(string.Empty, refused.Out);

        var issued = CliHarness.Run("authority", "issue", "--key", Path.Combine(auth, "authority.key.pem"), "--subject", "p1", "--sensor", "s1",
            "--scope", "voice:identify", "--case", "c1", "--purpose", "study", "--valid-for", "1d", "--max-uses", "5");
        Assert.Equal(0, issued.ExitCode);
        string token = Path.Combine(dir, "t.jwt");
        File.WriteAllText(token, issued.Out.Trim());
        var allowed = CliHarness.Run("voice", "features", wav, "--store", store, "--token", token, "--format", "jsonl");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("\"kind\":\"summary\"", allowed.Out);
        Assert.Equal(0, CliHarness.Run("audit", "verify", "--store", store).ExitCode);
    }
}
