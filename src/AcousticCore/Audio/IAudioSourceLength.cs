namespace AcousticCore.Audio;

/// <summary>Implemented by sources that know their length in advance (files), for progress reports.</summary>
public interface IAudioSourceLength
{
    /// <summary>Sample frames in the source, or null when unknown (streams, files read to their real end).</summary>
    long? LengthFrames { get; }
}
