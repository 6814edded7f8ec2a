using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AcousticCore.Audio;

/// <summary>Splits channel-interleaved sample frames into one contiguous run per channel.</summary>
internal static class Deinterleave
{
    /// <summary>
    /// Writes channel c of <paramref name="frames"/> frames to destinations[c][offset … offset + frames).
    /// Groups of eight channels are transposed eight frames at a time in 256-bit registers (AVX);
    /// the rest is copied one sample at a time. Same result either way.
    /// </summary>
    public static void Run(ReadOnlySpan<float> interleaved, int channels, int frames, float[][] destinations, int offset)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        if (interleaved.Length < channels * frames || destinations.Length < channels)
        {
            throw new ArgumentException("Buffers are shorter than the frames to de-interleave.");
        }

        for (int c = 0; c < channels; c++)
        {
            if (offset < 0 || destinations[c].Length < offset + frames) throw new ArgumentException($"Destination {c} is shorter than the frames to de-interleave.");
        }

        int done = 0; // channels handled by the vector path
        int vectorFrames = 0;
        if (Avx.IsSupported && channels >= 8)
        {
            vectorFrames = frames & ~7;
            for (int group = 0; group + 8 <= channels; group += 8)
            {
                for (int i = 0; i < vectorFrames; i += 8)
                {
                    Transpose8(ref MemoryMarshal.GetReference(interleaved), channels, group, i, destinations, offset + i);
                }

                done = group + 8;
            }
        }

        for (int c = 0; c < channels; c++)
        {
            int from = c < done ? vectorFrames : 0;
            Span<float> run = destinations[c].AsSpan(offset, frames);
            for (int i = from, j = (from * channels) + c; i < frames; i++, j += channels) run[i] = interleaved[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(ref float source, int channels, int group, int frame, float[][] destinations, int at)
    {
        ref float row = ref Unsafe.Add(ref source, (frame * channels) + group);
        var r0 = Vector256.LoadUnsafe(ref row);
        var r1 = Vector256.LoadUnsafe(ref row, (nuint)channels);
        var r2 = Vector256.LoadUnsafe(ref row, (nuint)(2 * channels));
        var r3 = Vector256.LoadUnsafe(ref row, (nuint)(3 * channels));
        var r4 = Vector256.LoadUnsafe(ref row, (nuint)(4 * channels));
        var r5 = Vector256.LoadUnsafe(ref row, (nuint)(5 * channels));
        var r6 = Vector256.LoadUnsafe(ref row, (nuint)(6 * channels));
        var r7 = Vector256.LoadUnsafe(ref row, (nuint)(7 * channels));
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves: column j ends in c_j.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        // Run checked every destination for the whole range before the first store.
        Avx.Permute2x128(s0, s4, 0x20).StoreUnsafe(ref Column(destinations, group, at));
        Avx.Permute2x128(s1, s5, 0x20).StoreUnsafe(ref Column(destinations, group + 1, at));
        Avx.Permute2x128(s2, s6, 0x20).StoreUnsafe(ref Column(destinations, group + 2, at));
        Avx.Permute2x128(s3, s7, 0x20).StoreUnsafe(ref Column(destinations, group + 3, at));
        Avx.Permute2x128(s0, s4, 0x31).StoreUnsafe(ref Column(destinations, group + 4, at));
        Avx.Permute2x128(s1, s5, 0x31).StoreUnsafe(ref Column(destinations, group + 5, at));
        Avx.Permute2x128(s2, s6, 0x31).StoreUnsafe(ref Column(destinations, group + 6, at));
        Avx.Permute2x128(s3, s7, 0x31).StoreUnsafe(ref Column(destinations, group + 7, at));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Column(float[][] destinations, int channel, int at) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(destinations[channel]), at);
}
