using System.Runtime.InteropServices;

namespace AcousticCore.Audio.Capture;

/// <summary>The few libasound (ALSA) entry points capture needs, bound lazily to <c>libasound.so.2</c>.</summary>
internal static partial class AlsaNative
{
    internal const string Library = "libasound.so.2";
    internal const int StreamCapture = 1;
    internal const int AccessRwInterleaved = 3;
    internal const int EPIPE = 32;
    internal const int ESTRPIPE = 86;
    internal const int EAGAIN = 11;
    internal const int EINTR = 4;
    internal const int ENOENT = 2;
    internal const int EBUSY = 16;
    internal const int ENODEV = 19;

    [LibraryImport(Library, EntryPoint = "snd_pcm_open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PcmOpen(out IntPtr pcm, string name, int stream, int mode);

    [LibraryImport(Library, EntryPoint = "snd_pcm_open_lconf", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PcmOpenLconf(out IntPtr pcm, string name, int stream, int mode, IntPtr config);

    [LibraryImport(Library, EntryPoint = "snd_pcm_set_params")]
    internal static partial int PcmSetParams(IntPtr pcm, int format, int access, uint channels, uint rate, int softResample, uint latencyUs);

    [LibraryImport(Library, EntryPoint = "snd_pcm_readi")]
    internal static unsafe partial nint PcmReadi(IntPtr pcm, void* buffer, nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_prepare")]
    internal static partial int PcmPrepare(IntPtr pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_resume")]
    internal static partial int PcmResume(IntPtr pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_close")]
    internal static partial int PcmClose(IntPtr pcm);

    [LibraryImport(Library, EntryPoint = "snd_strerror")]
    internal static partial IntPtr StrError(int error);

    [LibraryImport(Library, EntryPoint = "snd_config_top")]
    internal static partial int ConfigTop(out IntPtr config);

    [LibraryImport(Library, EntryPoint = "snd_config_load")]
    internal static partial int ConfigLoad(IntPtr config, IntPtr input);

    [LibraryImport(Library, EntryPoint = "snd_config_delete")]
    internal static partial int ConfigDelete(IntPtr config);

    [LibraryImport(Library, EntryPoint = "snd_input_stdio_open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int InputStdioOpen(out IntPtr input, string file, string mode);

    [LibraryImport(Library, EntryPoint = "snd_input_close")]
    internal static partial int InputClose(IntPtr input);

    /// <summary>ALSA format code of a sample format (packed 24-bit is S24_3LE).</summary>
    internal static int FormatCode(SampleFormat f) => f switch
    {
        SampleFormat.U8 => 1,    // SND_PCM_FORMAT_U8
        SampleFormat.S16 => 2,   // SND_PCM_FORMAT_S16_LE
        SampleFormat.S24 => 32,  // SND_PCM_FORMAT_S24_3LE
        SampleFormat.S32 => 10,  // SND_PCM_FORMAT_S32_LE
        SampleFormat.F32 => 14,  // SND_PCM_FORMAT_FLOAT_LE
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Unknown sample format."),
    };

    internal static string Describe(int error)
    {
        IntPtr p = StrError(error);
        return p == IntPtr.Zero ? $"error {error}" : Marshal.PtrToStringUTF8(p) ?? $"error {error}";
    }

    /// <summary>True when libasound can be loaded on this machine.</summary>
    internal static bool IsAvailable()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (!NativeLibrary.TryLoad(Library, out IntPtr handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }
}
