using AcousticCore.Audio;
using Xunit;

namespace AcousticCore.Tests.Audio;

public class DeinterleaveTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(3, 37)]
    [InlineData(8, 64)]
    [InlineData(9, 21)]
    [InlineData(16, 480)]
    [InlineData(17, 13)]
    [InlineData(24, 7)]
    public void EveryChannelGetsItsSamplesInOrder(int channels, int frames)
    {
        var interleaved = new float[channels * frames];
        for (int i = 0; i < frames; i++)
        {
            for (int c = 0; c < channels; c++) interleaved[(i * channels) + c] = (c * 10000) + i;
        }

        var planar = new float[channels * frames];
        Deinterleave.Run(interleaved, channels, frames, planar);
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < frames; i++) Assert.Equal((c * 10000) + i, planar[(c * frames) + i]);
        }
    }

    [Fact]
    public void ShortBuffersAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Deinterleave.Run(new float[10], 2, 6, new float[12]));
        Assert.Throws<ArgumentException>(() => Deinterleave.Run(new float[12], 2, 6, new float[10]));
    }
}
