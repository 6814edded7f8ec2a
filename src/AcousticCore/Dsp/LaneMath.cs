using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AcousticCore.Dsp;

/// <summary>
/// a·b + c for every vector width the lane kernels use, fused where the hardware fuses. All kernels
/// that must agree lane for lane (one channel alone and many side by side) go through these, so the
/// choice of fused or separate rounding is the same everywhere.
/// </summary>
internal static class LaneMath
{
    /// <summary>
    /// A property, not a static readonly field: the JIT folds it to a constant even in methods
    /// compiled straight to full optimisation, where a field would cost a load and a branch per use.
    /// </summary>
    public static bool UseFma => System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MulAdd(Vector<float> a, Vector<float> b, Vector<float> c) =>
        UseFma ? Vector.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> MulAdd(Vector<double> a, Vector<double> b, Vector<double> c) =>
        UseFma ? Vector.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        UseFma ? Vector256.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        UseFma ? Vector256.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        UseFma ? Vector512.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MulAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
        UseFma ? Vector512.FusedMultiplyAdd(a, b, c) : (a * b) + c;
}
