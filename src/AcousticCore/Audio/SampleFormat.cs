namespace AcousticCore.Audio;

/// <summary>Encoding of one sample in a raw PCM byte stream (little-endian, interleaved).</summary>
public enum SampleFormat
{
    /// <summary>Unsigned 8-bit integer, offset binary (WAV 8-bit PCM).</summary>
    U8,
    /// <summary>Signed 16-bit little-endian integer.</summary>
    S16,
    /// <summary>Signed 24-bit little-endian integer packed in 3 bytes.</summary>
    S24,
    /// <summary>Signed 32-bit little-endian integer.</summary>
    S32,
    /// <summary>IEEE 754 32-bit little-endian float, full scale ±1.0.</summary>
    F32,
}

/// <summary>Helpers for <see cref="SampleFormat"/>.</summary>
public static class SampleFormats
{
    /// <summary>Bytes one sample of <paramref name="format"/> occupies.</summary>
    public static int BytesPerSample(this SampleFormat format) => format switch
    {
        SampleFormat.U8 => 1,
        SampleFormat.S16 => 2,
        SampleFormat.S24 => 3,
        SampleFormat.S32 => 4,
        SampleFormat.F32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown sample format."),
    };

    /// <summary>Parses a CLI name (<c>s16le</c>, <c>s24le</c>, <c>s32le</c>, <c>f32le</c>, <c>u8</c>).</summary>
    /// <returns>False when the name is not a known format.</returns>
    public static bool TryParse(string name, out SampleFormat format)
    {
        switch (name.ToLowerInvariant())
        {
            case "u8": format = SampleFormat.U8; return true;
            case "s16le": case "s16": format = SampleFormat.S16; return true;
            case "s24le": case "s24": format = SampleFormat.S24; return true;
            case "s32le": case "s32": format = SampleFormat.S32; return true;
            case "f32le": case "f32": format = SampleFormat.F32; return true;
            default: format = default; return false;
        }
    }
}
