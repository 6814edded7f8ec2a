using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AcousticCore.Audio;

/// <summary>
/// Converts little-endian PCM bytes to float samples (full scale ±1). One converter for every source, so a WAV
/// file, its PCM stream and its TCP stream decode to bit-identical samples.
/// </summary>
/// <remarks>
/// Scaling divides by the power of two of the integer format (128, 32768, 2^23, 2^31), the same convention as
/// NAudio's sample providers and sox: the most negative code is exactly −1.0 and the largest positive code is
/// 1 − 2^(1−bits). The divisions are by powers of two, so they are exact in float.
/// </remarks>
internal static class SampleDecoder
{
    private const float ScaleU8 = 1f / 128f;
    private const float ScaleS16 = 1f / 32768f;
    private const float ScaleS24 = 1f / 8388608f;
    private const float ScaleS32 = 1f / 2147483648f;

    /// <summary>Decodes <paramref name="source"/> (a whole number of samples) into <paramref name="destination"/>.</summary>
    /// <returns>How many non-finite float samples were replaced by 0 (always 0 for integer formats).</returns>
    internal static int Decode(SampleFormat format, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (format)
        {
            case SampleFormat.U8:
                DecodeU8(source, destination);
                return 0;
            case SampleFormat.S16:
                DecodeS16(source, destination);
                return 0;
            case SampleFormat.S24:
                DecodeS24(source, destination);
                return 0;
            case SampleFormat.S32:
                DecodeS32(source, destination);
                return 0;
            case SampleFormat.F32:
                return DecodeF32(source, destination);
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown sample format.");
        }
    }

    private static void DecodeU8(ReadOnlySpan<byte> source, Span<float> destination)
    {
        destination = destination[..source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (source[i] - 128) * ScaleU8;
        }
    }

    private static void DecodeS16(ReadOnlySpan<byte> source, Span<float> destination)
    {
        int n = source.Length / 2;
        destination = destination[..n];
        if (BitConverter.IsLittleEndian)
        {
            ReadOnlySpan<short> s = MemoryMarshal.Cast<byte, short>(source[..(n * 2)]);
            for (int i = 0; i < s.Length; i++)
            {
                destination[i] = s[i] * ScaleS16;
            }

            return;
        }

        for (int i = 0; i < n; i++)
        {
            destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source.Slice(2 * i, 2)) * ScaleS16;
        }
    }

    private static void DecodeS24(ReadOnlySpan<byte> source, Span<float> destination)
    {
        int n = source.Length / 3;
        destination = destination[..n];
        int i = 0, j = 0;
        if (Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            // 4 samples (12 bytes) per step: shuffle each 3-byte code into the top 3 bytes of an int lane (code << 8,
            // sign in place), convert exactly to float, and scale by 2^-31. Loads 16 bytes, so stop 4 bytes early.
            Vector128<byte> spread = Vector128.Create((byte)0xFF, 0, 1, 2, 0xFF, 3, 4, 5, 0xFF, 6, 7, 8, 0xFF, 9, 10, 11);
            var scale = Vector128.Create(ScaleS32);
            ref byte src = ref MemoryMarshal.GetReference(source);
            ref float dst = ref MemoryMarshal.GetReference(destination);
            for (; j + 16 <= source.Length; i += 4, j += 12)
            {
                Vector128<byte> raw = Vector128.LoadUnsafe(ref src, (nuint)j);
                Vector128<int> shifted = Vector128.Shuffle(raw, spread).AsInt32();
                (Vector128.ConvertToSingle(shifted) * scale).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < n; i++, j += 3)
        {
            // Sign comes from the top byte: (sbyte) sign-extends it before the shift.
            int v = source[j] | (source[j + 1] << 8) | ((sbyte)source[j + 2] << 16);
            destination[i] = v * ScaleS24;
        }
    }

    private static void DecodeS32(ReadOnlySpan<byte> source, Span<float> destination)
    {
        int n = source.Length / 4;
        destination = destination[..n];
        if (BitConverter.IsLittleEndian)
        {
            ReadOnlySpan<int> s = MemoryMarshal.Cast<byte, int>(source[..(n * 4)]);
            for (int i = 0; i < s.Length; i++)
            {
                destination[i] = s[i] * ScaleS32;
            }

            return;
        }

        for (int i = 0; i < n; i++)
        {
            destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source.Slice(4 * i, 4)) * ScaleS32;
        }
    }

    private static int DecodeF32(ReadOnlySpan<byte> source, Span<float> destination)
    {
        int n = source.Length / 4;
        destination = destination[..n];
        int replaced = 0;
        for (int i = 0; i < n; i++)
        {
            float v = BitConverter.IsLittleEndian
                ? MemoryMarshal.Read<float>(source.Slice(4 * i, 4))
                : BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * i, 4));

            // NaN/Inf would poison every energy sum downstream (one NaN makes an interval's Leq NaN); replace and count.
            if (!float.IsFinite(v))
            {
                v = 0f;
                replaced++;
            }

            destination[i] = v;
        }

        return replaced;
    }
}
