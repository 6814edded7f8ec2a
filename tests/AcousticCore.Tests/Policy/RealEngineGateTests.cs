using AcousticCore.Policy;
using AcousticCore.Tests.Identification;
using Xunit;

namespace AcousticCore.Tests.Policy;

/// <summary>
/// End to end through the public factory with the default (GMM-UBM) engine on the committed held-out
/// voices: enrol two named speakers, identify a test sentence of each and of a third, unnamed speaker.
/// </summary>
[Collection(SpeakerEngineDefaultGroup.Name)]
public sealed class RealEngineGateTests : IDisposable
{
    private readonly PolicyFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static MemorySource Clip(float[] samples) => new(samples, SpeakerTestSet.SampleRate);

    [Fact]
    public void Default_engine_identifies_named_subjects_only()
    {
        Assert.NotNull(SpeakerEngines.Default);
        string[] speakers = SpeakerTestSet.Speakers();
        string a = speakers[0], b = speakers[1], stranger = speakers[2];
        using var gate = VoiceIdentificationService.Open(_f.Options);
        var grant = gate.VerifyToken(_f.Issue(subjects: [a, b], maxUses: 20)).Grant!;
        Assert.True(gate.Enrol(grant, a, SpeakerTestSet.Clips(a, "enrol").Select(Clip).ToArray()).IsAllowed);
        Assert.True(gate.Enrol(grant, b, SpeakerTestSet.Clips(b, "enrol").Select(Clip).ToArray()).IsAllowed);

        var ofA = gate.Identify(grant, Clip(SpeakerTestSet.Clips(a, "test")[0]));
        Assert.True(ofA.IsAllowed, ofA.Detail);
        Assert.StartsWith("gmm-ubm", ofA.ModelId, StringComparison.Ordinal);
        Assert.Equal(new[] { a, b }, ofA.Scores.Select(s => s.Subject));
        Assert.True(ofA.Scores[0].IsMatch, $"own voice scored {ofA.Scores[0].ScoreLlr} < {ofA.ThresholdLlr}");
        Assert.False(ofA.Scores[1].IsMatch);
        Assert.True(ofA.Scores[0].ScoreLlr > ofA.Scores[1].ScoreLlr);

        var ofB = gate.Identify(grant, Clip(SpeakerTestSet.Clips(b, "test")[0]));
        Assert.False(ofB.Scores[0].IsMatch);
        Assert.True(ofB.Scores[1].IsMatch);

        var ofStranger = gate.Identify(grant, Clip(SpeakerTestSet.Clips(stranger, "test")[0]));
        Assert.Equal(2, ofStranger.Scores.Count);
        Assert.DoesNotContain(ofStranger.Scores, s => s.Subject == stranger);
        Assert.True(gate.Store.VerifyAudit().IsIntact);
    }
}
