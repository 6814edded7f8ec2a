using AcousticCore.Audio;

namespace AcousticCore.Classification;

/// <summary>Opens recordings for classification, training and evaluation.</summary>
public static class ClassificationInput
{
    /// <summary>
    /// Opens a WAV file; one below <see cref="WindowFeatureExtractor.MinSampleRate"/> (8–16 kHz, e.g. UrbanSound8K's
    /// 8 and 11.025 kHz clips) is upsampled to it (<see cref="UpsamplingSource"/>): its features then see no content
    /// above the original Nyquist frequency, which is what the recording holds.
    /// </summary>
    /// <exception cref="AudioDataException">The file is not a readable WAV.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static IAudioSource OpenFile(string path)
    {
        IAudioSource source = AudioSourceFactory.OpenFile(path);
        if (source.Format.SampleRate >= WindowFeatureExtractor.MinSampleRate) return source;
        try
        {
            return new UpsamplingSource(source, WindowFeatureExtractor.MinSampleRate);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }
}
