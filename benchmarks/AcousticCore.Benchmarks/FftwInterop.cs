using System.Runtime.InteropServices;

namespace AcousticCore.Benchmarks;

/// <summary>
/// Minimal binding to the system's single-precision FFTW (libfftw3f.so.3), loaded at run time so the
/// benchmarks still run (without the FFTW case) where it is not installed. FFTW is GPL: it is used only
/// here as the speed reference and never referenced from src/.
/// </summary>
internal static unsafe class FftwInterop
{
    public const uint Measure = 0;
    public const uint Patient = 1u << 5;

    private static readonly nint Library = NativeLibrary.TryLoad("libfftw3f.so.3", out nint handle) ? handle : 0;

    private static readonly delegate* unmanaged<int, float*, float*, uint, nint> PlanR2C = (delegate* unmanaged<int, float*, float*, uint, nint>)Export("fftwf_plan_dft_r2c_1d");
    private static readonly delegate* unmanaged<nint, void> ExecutePlan = (delegate* unmanaged<nint, void>)Export("fftwf_execute");
    private static readonly delegate* unmanaged<nint, void> DestroyPlanFn = (delegate* unmanaged<nint, void>)Export("fftwf_destroy_plan");
    private static readonly delegate* unmanaged<nuint, void*> MallocFn = (delegate* unmanaged<nuint, void*>)Export("fftwf_malloc");
    private static readonly delegate* unmanaged<void*, void> FreeFn = (delegate* unmanaged<void*, void>)Export("fftwf_free");

    /// <summary>True when libfftw3f.so.3 was found and exports what the benchmark needs.</summary>
    public static bool IsAvailable => Library != 0 && PlanR2C != null && ExecutePlan != null
        && DestroyPlanFn != null && MallocFn != null && FreeFn != null;

    public static string MissingMessage =>
        "FFTW (libfftw3f.so.3) not found: the Fftw case is skipped. Install it with `apt-get install -y libfftw3-single3` to include it.";

    /// <summary>Out-of-place real-to-complex plan: n floats in, n/2+1 interleaved complex out.</summary>
    public static nint PlanRealToComplex(int n, float* input, float* output, uint flags) => PlanR2C(n, input, output, flags);

    public static void Execute(nint plan) => ExecutePlan(plan);

    public static void DestroyPlan(nint plan) => DestroyPlanFn(plan);

    /// <summary>SIMD-aligned buffer from FFTW's allocator, as FFTW's own benchmarks use.</summary>
    public static float* AllocFloats(int count) => (float*)MallocFn((nuint)count * sizeof(float));

    public static void Free(float* p) => FreeFn(p);

    private static nint Export(string name) =>
        Library != 0 && NativeLibrary.TryGetExport(Library, name, out nint address) ? address : 0;
}
