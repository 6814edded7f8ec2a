namespace AcousticCore.Audio;

/// <summary>What a RIFF/WAVE header says about the sample data that follows it (already validated).</summary>
/// <param name="SampleFormat">Container encoding of one sample.</param>
/// <param name="Channels">Interleaved channel count (1..64).</param>
/// <param name="SampleRate">Samples per second per channel, in Hz.</param>
/// <param name="FormatTag">The fmt chunk's wFormatTag (0x0001 PCM, 0x0003 float, 0xFFFE extensible).</param>
/// <param name="DataOffset">Byte offset of the first sample byte (just after the data chunk header).</param>
/// <param name="DeclaredDataLength">Data length the header claims, in bytes; null when the writer did not know it
/// (0 or 0xFFFFFFFF, as pipes write them).</param>
/// <param name="DataSizeIsZero">True when the data chunk's size field is 0 (as opposed to 0xFFFFFFFF or a real size).</param>
/// <param name="RiffSize">The RIFF chunk's size field (the file's length − 8 in a finalised file); null for RF64.</param>
internal sealed record WavHeader(
    SampleFormat SampleFormat,
    int Channels,
    int SampleRate,
    int FormatTag,
    long DataOffset,
    long? DeclaredDataLength,
    bool DataSizeIsZero = false,
    long? RiffSize = null)
{
    /// <summary>Bytes in one interleaved sample frame.</summary>
    internal int BlockAlign => Channels * SampleFormat.BytesPerSample();
}
