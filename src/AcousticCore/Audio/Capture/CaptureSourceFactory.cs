namespace AcousticCore.Audio.Capture;

/// <summary>Opens the live-capture inputs <c>alsa:DEVICE</c> and <c>cmd:PROGRAM ARGS</c>.</summary>
public static class CaptureSourceFactory
{
    /// <summary>True when <paramref name="input"/> names a live-capture input (<c>alsa:</c> or <c>cmd:</c>).</summary>
    public static bool IsCaptureInput(string? input) =>
        input is not null && (input.StartsWith("alsa:", StringComparison.Ordinal) || input.StartsWith("cmd:", StringComparison.Ordinal));

    /// <summary>
    /// Opens <c>alsa:DEVICE</c> (libasound) or <c>cmd:PROGRAM ARGS</c> (a program writing raw PCM to stdout) with the
    /// format, channel count, rate and frame limit of <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not a capture input.</exception>
    /// <exception cref="AudioCaptureException">The device or program cannot deliver audio.</exception>
    public static IAudioSource Open(string input, CaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        if (input.StartsWith("alsa:", StringComparison.Ordinal))
        {
            string device = input["alsa:".Length..];
            if (device.Length == 0) throw new AudioCaptureException(input, "no device named: use alsa:default, alsa:hw:1,0, alsa:plughw:1 …");
            return new AlsaCaptureSource(device, options);
        }

        if (input.StartsWith("cmd:", StringComparison.Ordinal))
        {
            var pcm = new PcmStreamOptions(options.SampleFormat, options.Format.Channels, options.Format.SampleRate);
            return new CommandCaptureSource(input["cmd:".Length..], pcm, options.MaxFrames, options.IdleTimeout);
        }

        throw new ArgumentException($"'{input}' is not a capture input (alsa:DEVICE or cmd:PROGRAM)", nameof(input));
    }
}
