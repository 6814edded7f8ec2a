using AcousticCore.Audio;
using Xunit;

namespace AcousticCore.Tests.Audio;

public class SampleDecoderTests
{
    [Theory]
    [InlineData(SampleFormat.U8)]
    [InlineData(SampleFormat.S16)]
    [InlineData(SampleFormat.S24)]
    [InlineData(SampleFormat.S32)]
    [InlineData(SampleFormat.F32)]
    public void EveryLengthDecodesToTheWrittenCodes(SampleFormat format)
    {
        // Lengths 1..40 cover vector bodies and every scalar tail.
        for (int count = 1; count <= 40; count++)
        {
            var signal = TestWav.MakeSignal(format, 1, count, seed: count);
            var decoded = new float[count + 1];
            decoded[count] = 42f; // must stay untouched
            Assert.Equal(0, SampleDecoder.Decode(format, signal.Data, decoded));
            Assert.Equal(signal.Expected, decoded[..count]);
            Assert.Equal(42f, decoded[count]);
        }
    }

    [Fact]
    public void S24SignExtensionAtTheBoundaries()
    {
        byte[] codes = [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40];
        var x = new float[6];
        SampleDecoder.Decode(SampleFormat.S24, codes, x);
        Assert.Equal(new[] { -1f, 8388607f / 8388608f, -1f / 8388608f, 1f / 8388608f, 0f, 0.5f }, x);
    }
}
