using AcousticCore.Identification;
using Xunit;

namespace AcousticCore.Tests.Identification;

/// <summary>The engine must stay unreachable from outside the library except through the policy gate.</summary>
public class IdentificationVisibilityTests
{
    [Fact]
    public void NoIdentificationTypeIsPublic()
    {
        Type[] types = typeof(ISpeakerEngine).Assembly.GetTypes();
        Type[] identification = types.Where(t => t.Namespace == "AcousticCore.Identification").ToArray();
        Assert.Contains(typeof(GmmUbmSpeakerEngine), identification);
        Assert.All(identification, t => Assert.False(t.IsVisible, $"{t.FullName} is visible outside the assembly"));
    }
}
