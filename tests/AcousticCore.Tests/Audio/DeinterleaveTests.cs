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

        // Each channel lands in its own array at the offset, nothing before or after it is touched.
        const int Offset = 5;
        var destinations = new float[channels][];
        for (int c = 0; c < channels; c++) destinations[c] = Enumerable.Repeat(-1f, Offset + frames + 3).ToArray();
        Deinterleave.Run(interleaved, channels, frames, destinations, Offset);
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < Offset; i++) Assert.Equal(-1f, destinations[c][i]);
            for (int i = 0; i < frames; i++) Assert.Equal((c * 10000) + i, destinations[c][Offset + i]);
            for (int i = Offset + frames; i < destinations[c].Length; i++) Assert.Equal(-1f, destinations[c][i]);
        }
    }

    [Fact]
    public void ShortBuffersAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Deinterleave.Run(new float[10], 2, 6, [new float[6], new float[6]], 0));
        Assert.Throws<ArgumentException>(() => Deinterleave.Run(new float[12], 2, 6, [new float[6], new float[5]], 0));
        Assert.Throws<ArgumentException>(() => Deinterleave.Run(new float[12], 2, 6, [new float[6]], 0));
        Assert.Throws<ArgumentException>(() => Deinterleave.Run(new float[12], 2, 6, [new float[8], new float[8]], 3));
    }
}
