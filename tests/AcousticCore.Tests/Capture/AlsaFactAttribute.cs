using AcousticCore.Audio.Capture;
using Xunit;

namespace AcousticCore.Tests.Capture;

/// <summary>A fact that is skipped, with the package to install, when libasound cannot be loaded.</summary>
public sealed class AlsaFactAttribute : FactAttribute
{
    public AlsaFactAttribute()
    {
        if (!AlsaCaptureSource.IsAvailable)
        {
            Skip = "libasound.so.2 not found: install the Debian package libasound2 (apt-get install -y libasound2) to run the ALSA capture tests";
        }
    }
}
