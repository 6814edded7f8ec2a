namespace AcousticCore.Identification;

/// <summary>
/// The voice-identification engine seen by the policy gate. Internal on purpose: the only public
/// way to reach it is through <c>AcousticCore.Policy</c> with a verified grant.
/// </summary>
internal interface ISpeakerEngine
{
    /// <summary>Identifier of the background model and feature settings (goes to the audit log).</summary>
    string ModelId { get; }

    /// <summary>Log-likelihood-ratio score at or above which a trial is accepted as the subject.</summary>
    double DecisionThreshold { get; }

    /// <summary>Builds a voiceprint (serialized speaker model) from one or more mono clips.</summary>
    /// <exception cref="ArgumentException">Too little voiced audio to enrol.</exception>
    byte[] Enrol(IReadOnlyList<float[]> clips, int sampleRate);

    /// <summary>Log-likelihood ratio of <paramref name="audio"/> against one voiceprint vs the background.</summary>
    /// <exception cref="ArgumentException">The voiceprint is corrupt or the audio has no voiced frames.</exception>
    double Score(ReadOnlySpan<byte> voiceprint, ReadOnlySpan<float> audio, int sampleRate);

    /// <summary>
    /// Scores one clip against several voiceprints, in order. Engines override this to process the
    /// clip once instead of once per voiceprint.
    /// </summary>
    /// <exception cref="ArgumentException">A voiceprint is corrupt or the audio has no voiced frames.</exception>
    double[] ScoreAll(IReadOnlyList<byte[]> voiceprints, ReadOnlySpan<float> audio, int sampleRate)
    {
        var scores = new double[voiceprints.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = Score(voiceprints[i], audio, sampleRate);
        return scores;
    }
}
