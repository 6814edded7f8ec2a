using AcousticCore.Voice;
using Xunit;
using Xunit.Abstractions;

namespace AcousticCore.Tests.Voice;

public class PitchAnalyzerTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Clips() => VoiceReferenceData.Clips();

    [Theory]
    [MemberData(nameof(Clips))]
    public void ContourAgreesWithPraatToPitchCc(string file)
    {
        var (x, fs) = VoiceReferenceData.ReadWav(file);
        var praat = VoiceReferenceData.PraatContour(file);
        var row = VoiceReferenceData.PraatRow(file);
        var contour = PitchAnalyzer.Analyze(x, fs);

        Assert.Equal(praat.Length, contour.FrameCount);
        Assert.Equal(row.Num("pitch_t1_s"), contour.FirstFrameTimeSeconds, 6);
        int bothVoiced = 0, gross = 0, voicingMismatch = 0;
        double maxRel = 0;
        for (int i = 0; i < praat.Length; i++)
        {
            double mine = contour.FrequenciesHz[i];
            if (praat[i] > 0 && mine > 0)
            {
                bothVoiced++;
                double rel = Math.Abs(mine / praat[i] - 1);
                if (rel > 0.2) gross++;
                else maxRel = Math.Max(maxRel, rel);
            }
            else if (praat[i] > 0 != mine > 0)
            {
                voicingMismatch++;
            }
        }

        output.WriteLine($"{file}: frames {praat.Length}, voiced praat {row.Num("voiced_frames")} mine {contour.VoicedFrameCount}, gross {gross}, v/uv mismatch {voicingMismatch}, max rel diff {maxRel:G3}");
        // Agreement measured with Praat 6.3.07: identical voicing decisions and < 1e-4 relative F0 difference per frame.
        Assert.True(maxRel < 1e-3, $"max relative F0 difference {maxRel}");
        Assert.True(gross <= 0.02 * bothVoiced, $"gross errors {gross} of {bothVoiced}");
        Assert.True(voicingMismatch <= 0.03 * praat.Length, $"voicing mismatch {voicingMismatch} of {praat.Length}");
    }
}
