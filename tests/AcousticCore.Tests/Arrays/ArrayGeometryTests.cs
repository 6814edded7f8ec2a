using System.Text;
using AcousticCore.Arrays;
using Xunit;

namespace AcousticCore.Tests.Arrays;

public class ArrayGeometryTests
{
    private static ArrayGeometry Parse(string json) => ArrayGeometry.Parse(Encoding.UTF8.GetBytes(json), "geo.json");

    [Fact]
    public void ParsesMicrophonesInChannelOrderAndClassifiesShapes()
    {
        var g = Parse("""{"name": "uca3", "microphones": [{"name": "a", "x": 0.045, "y": 0}, {"name": "b", "x": -0.0225, "y": 0.039}, {"name": "c", "x": -0.0225, "y": -0.039, "z": 0}]}""");
        Assert.Equal("uca3", g.Name);
        Assert.Equal(3, g.Count);
        Assert.Equal("b", g.Microphones[1].Name);
        Assert.Equal(-0.0225, g.Microphones[1].X);
        Assert.Equal(ArrayShape.Planar, g.Shape);
        Assert.Equal(ArrayShape.Linear, PlaneWaveSimulator.Linear4().Shape);
        Assert.Equal((1.0, 0.0, 0.0), PlaneWaveSimulator.Linear4().Axis);
        Assert.Equal(ArrayShape.ThreeDimensional, PlaneWaveSimulator.Cube8().Shape);
        Assert.Equal(0.15, PlaneWaveSimulator.Linear4().ApertureM, 9);
        Assert.Equal(0.05, PlaneWaveSimulator.Linear4().MinSpacingM, 9);
    }

    [Fact]
    public void RoundTripsThroughJson()
    {
        var g = PlaneWaveSimulator.Cube8();
        var back = Parse(g.ToJson());
        Assert.Equal(g.Microphones, back.Microphones);
    }

    [Theory]
    [InlineData("""{"microphones": [{"name": "m1", "x": 0, "y": 0}]}""", "at least 2 microphones (found 1)")]
    [InlineData("""{"microphones": [{"name": "m1", "x": 0, "y": 0}, {"name": "m2", "x": 0.0004, "y": 0}]}""", "microphone 1 ('m1') and microphone 2 ('m2') are at the same position")]
    [InlineData("""{"microphones": [{"name": "m1", "x": 0, "y": 0}, {"name": "m2", "x": "NaN", "y": 0}]}""", "microphone 2 ('m2'): x is NaN")]
    [InlineData("""{"microphones": [{"name": "m1", "x": 0, "y": 0}, {"name": "m2", "x": 1e400, "y": 0}]}""", "microphone 2 ('m2'): x = 1e400 is not a finite number")]
    [InlineData("""{"microphones": [{"name": "m1", "x": 0, "y": 0}, {"name": "m2", "x": 0.1}]}""", "microphone 2 ('m2'): missing coordinate \"y\"")]
    [InlineData("""{"microphones": [{"name": "m1", "x": 0, "y": 0}, {"name": "m2", "x": true, "y": 0}]}""", "microphone 2 ('m2'): x must be a number")]
    [InlineData("""{"microphones": [{"name": "m1", "x": 0, "y": 0}, 5]}""", "microphone 2: must be an object")]
    [InlineData("""{"mics": []}""", "missing \"microphones\" array")]
    [InlineData("""[1, 2]""", "top level must be an object")]
    [InlineData("""{"microphones": [{"x": 0, "y": 0},""", "not valid JSON")]
    [InlineData("""{"microphones": [{"name": "far", "x": 500, "y": 0}, {"x": 0, "y": 0}]}""", "microphone 1 ('far'): x = 500 m is implausible")]
    public void BadGeometryNamesFileAndMicrophone(string json, string expected)
    {
        var e = Assert.Throws<ArrayGeometryException>(() => Parse(json));
        Assert.StartsWith("geo.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAGeometryError()
    {
        var e = Assert.Throws<ArrayGeometryException>(() => ArrayGeometry.Load("/nonexistent/geo.json"));
        Assert.Contains("/nonexistent/geo.json: geometry file not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelCountMustMatch()
    {
        var g = PlaneWaveSimulator.Circular6();
        g.ValidateChannels(6, "x.wav");
        var e = Assert.Throws<ArrayGeometryException>(() => g.ValidateChannels(4, "x.wav"));
        Assert.Contains("geometry has 6 microphones but stream 'x.wav' has 4 channel(s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WarnsWhenSpacingAliasesInsideTheBand()
    {
        // 5 cm spacing: half a wavelength at 343 / (2·0.05) = 3430 Hz.
        var g = PlaneWaveSimulator.Linear4();
        Assert.Equal(3430, g.AliasingFrequencyHz(), 6);
        var warning = g.SpatialAliasingWarning(8000);
        Assert.NotNull(warning);
        Assert.Contains("'m1' and 'm2' are 5 cm apart", warning, StringComparison.Ordinal);
        Assert.Contains("above 3430 Hz", warning, StringComparison.Ordinal);
        Assert.Null(g.SpatialAliasingWarning(3000));
    }

    [Fact]
    public void RotationAboutZKeepsDistancesAndTurnsPositions()
    {
        var g = PlaneWaveSimulator.Linear4().RotatedAboutZ(90);
        Assert.Equal(0.075, g.Microphones[3].Y, 12);
        Assert.Equal(0, g.Microphones[3].X, 12);
        Assert.Equal(0.05, g.MinSpacingM, 12);
    }
}
