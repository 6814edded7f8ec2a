using System.Globalization;
using System.Text.Json;

namespace AcousticCore.Arrays;

/// <summary>One microphone of an array: a name and its position in metres in the array's frame.</summary>
/// <param name="Name">Label used in messages (e.g. <c>m1</c>).</param>
/// <param name="X">x coordinate in metres.</param>
/// <param name="Y">y coordinate in metres.</param>
/// <param name="Z">z coordinate in metres.</param>
public readonly record struct Microphone(string Name, double X, double Y, double Z);

/// <summary>How the microphones are laid out, which decides the directions an array can resolve.</summary>
public enum ArrayShape
{
    /// <summary>All microphones on one line: only the angle from the array axis (0–180°) is observable.</summary>
    Linear,
    /// <summary>All microphones in the horizontal (xy) plane: azimuth only, sources assumed in that plane.</summary>
    Planar,
    /// <summary>Microphones span three dimensions: azimuth and elevation.</summary>
    ThreeDimensional,
}

/// <summary>A geometry file or value that cannot be used; the message names the file and the microphone.</summary>
public sealed class ArrayGeometryException : Exception
{
    /// <summary>Creates the exception for geometry <paramref name="source"/> (file path or name).</summary>
    public ArrayGeometryException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        SourceName = source;
        Problem = problem;
    }

    /// <summary>The geometry file path or name.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the source name.</summary>
    public string Problem { get; }
}

/// <summary>
/// Positions of the microphones of an array (microphone i is channel i), validated: at least two
/// microphones, finite coordinates, no two closer than <see cref="MinSeparationM"/>.
/// </summary>
/// <remarks>
/// Coordinates are in metres in the array's own frame. Directions use azimuth counter-clockwise from
/// +x in degrees [0, 360) and elevation above the xy plane. JSON form:
/// <c>{"name": "uca6", "microphones": [{"name": "m1", "x": 0.045, "y": 0, "z": 0}, ...]}</c>.
/// </remarks>
public sealed class ArrayGeometry
{
    /// <summary>Two microphones closer than this (1 mm) are rejected as coincident.</summary>
    public const double MinSeparationM = 0.001;

    /// <summary>Largest geometry file read, in bytes (a geometry is a few hundred bytes).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Deviation from a line or plane (0.1 mm) still treated as collinear or coplanar.</summary>
    private const double ShapeToleranceM = 1e-4;

    private readonly Microphone[] _microphones;

    /// <summary>Creates and validates a geometry.</summary>
    /// <param name="name">Array name used in messages.</param>
    /// <param name="microphones">Microphones in channel order.</param>
    /// <exception cref="ArrayGeometryException">Fewer than two microphones, a non-finite coordinate or coincident microphones.</exception>
    public ArrayGeometry(string name, IEnumerable<Microphone> microphones)
    {
        ArgumentNullException.ThrowIfNull(microphones);
        Name = string.IsNullOrWhiteSpace(name) ? "array" : name;
        _microphones = microphones.ToArray();
        Validate(Name);
        Shape = Classify(out var axis);
        Axis = axis;
        (MinSpacingM, MinPairFirst, MinPairSecond, ApertureM) = Spacings();
    }

    /// <summary>Array name.</summary>
    public string Name { get; }

    /// <summary>Microphones in channel order.</summary>
    public IReadOnlyList<Microphone> Microphones => _microphones;

    /// <summary>Number of microphones (= channels the stream must have).</summary>
    public int Count => _microphones.Length;

    /// <summary>Linear, planar (xy plane) or three-dimensional.</summary>
    public ArrayShape Shape { get; }

    /// <summary>Unit vector of the array axis for a linear array (first towards last microphone); zero otherwise.</summary>
    public (double X, double Y, double Z) Axis { get; }

    /// <summary>Smallest distance between two microphones, in metres.</summary>
    public double MinSpacingM { get; }

    /// <summary>Largest distance between two microphones (the aperture), in metres.</summary>
    public double ApertureM { get; }

    private int MinPairFirst { get; }

    private int MinPairSecond { get; }

    /// <summary>Reads and validates a geometry JSON file.</summary>
    /// <exception cref="ArrayGeometryException">The file is missing, too large, not valid JSON or not a valid geometry.</exception>
    public static ArrayGeometry Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ArrayGeometryException(path, "geometry file not found");
            if (info.Length > MaxFileBytes)
            {
                throw new ArrayGeometryException(path, $"file is {info.Length} bytes; a geometry file is at most {MaxFileBytes} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ArrayGeometryException(path, $"cannot read the geometry file ({e.Message})", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ArrayGeometryException(path, $"cannot read the geometry file ({e.Message})", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses and validates geometry JSON; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="ArrayGeometryException">Not valid JSON or not a valid geometry.</exception>
    public static ArrayGeometry Parse(ReadOnlySpan<byte> json, string sourceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        if (json.Length > MaxFileBytes)
        {
            throw new ArrayGeometryException(sourceName, $"geometry is {json.Length} bytes; at most {MaxFileBytes} bytes are accepted");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ArrayGeometryException(sourceName,
                $"not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}): {FirstSentence(e.Message)}", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArrayGeometryException(sourceName, "the top level must be an object with \"microphones\"");
            }

            string name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Path.GetFileNameWithoutExtension(sourceName);
            if (!root.TryGetProperty("microphones", out var mics) || mics.ValueKind != JsonValueKind.Array)
            {
                throw new ArrayGeometryException(sourceName, "missing \"microphones\" array");
            }

            int count = mics.GetArrayLength();
            if (count > Audio.AudioFormat.MaxChannels)
            {
                throw new ArrayGeometryException(sourceName, $"{count} microphones; at most {Audio.AudioFormat.MaxChannels} are supported");
            }

            var list = new List<Microphone>(count);
            int index = 0;
            foreach (var m in mics.EnumerateArray())
            {
                string label = $"microphone {index + 1}";
                if (m.ValueKind != JsonValueKind.Object)
                {
                    throw new ArrayGeometryException(sourceName, $"{label}: must be an object with x, y, z in metres");
                }

                string micName = m.TryGetProperty("name", out var mn) && mn.ValueKind == JsonValueKind.String ? mn.GetString()! : $"m{index + 1}";
                label = $"microphone {index + 1} ('{micName}')";
                double x = Coordinate(m, "x", sourceName, label, required: true);
                double y = Coordinate(m, "y", sourceName, label, required: true);
                double z = Coordinate(m, "z", sourceName, label, required: false);
                list.Add(new Microphone(micName, x, y, z));
                index++;
            }

            try
            {
                return new ArrayGeometry(name, list);
            }
            catch (ArrayGeometryException e)
            {
                throw new ArrayGeometryException(sourceName, e.Problem, e);
            }
        }
    }

    /// <summary>Checks that a stream has one channel per microphone.</summary>
    /// <exception cref="ArrayGeometryException">The channel count differs from the microphone count.</exception>
    public void ValidateChannels(int channels, string streamName)
    {
        if (channels != Count)
        {
            throw new ArrayGeometryException(Name,
                $"geometry has {Count} microphones but stream '{streamName}' has {channels} channel(s); microphone i must be channel i");
        }
    }

    /// <summary>
    /// Frequency in Hz above which the closest pair of microphones is more than half a wavelength apart
    /// (c / (2·d_min)), where direction estimates may alias.
    /// </summary>
    public double AliasingFrequencyHz(double speedOfSoundMps = 343.0) => speedOfSoundMps / (2.0 * MinSpacingM);

    /// <summary>
    /// A warning when spatial aliasing can occur inside the analysed band (its upper edge is above
    /// <see cref="AliasingFrequencyHz"/>), else null.
    /// </summary>
    public string? SpatialAliasingWarning(double maxAnalysedFrequencyHz, double speedOfSoundMps = 343.0)
    {
        double fAlias = AliasingFrequencyHz(speedOfSoundMps);
        if (maxAnalysedFrequencyHz <= fAlias) return null;
        var a = _microphones[MinPairFirst];
        var b = _microphones[MinPairSecond];
        return string.Create(CultureInfo.InvariantCulture,
            $"{Name}: microphones '{a.Name}' and '{b.Name}' are {MinSpacingM * 100:0.##} cm apart, so spatial aliasing is possible above {fAlias:0} Hz (analysed band reaches {maxAnalysedFrequencyHz:0} Hz)");
    }

    /// <summary>This geometry rotated about the z axis by <paramref name="degrees"/> counter-clockwise.</summary>
    public ArrayGeometry RotatedAboutZ(double degrees)
    {
        double a = degrees * Math.PI / 180.0, c = Math.Cos(a), s = Math.Sin(a);
        var rotated = new Microphone[_microphones.Length];
        for (int i = 0; i < rotated.Length; i++)
        {
            var m = _microphones[i];
            rotated[i] = m with { X = c * m.X - s * m.Y, Y = s * m.X + c * m.Y };
        }

        return new ArrayGeometry(Name, rotated);
    }

    /// <summary>Writes the geometry as JSON (the format <see cref="Parse"/> reads).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", Name);
            w.WriteStartArray("microphones");
            foreach (var m in _microphones)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name);
                w.WriteNumber("x", m.X);
                w.WriteNumber("y", m.Y);
                w.WriteNumber("z", m.Z);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void Validate(string source)
    {
        if (_microphones.Length < 2)
        {
            throw new ArrayGeometryException(source, $"an array needs at least 2 microphones (found {_microphones.Length})");
        }

        if (_microphones.Length > Audio.AudioFormat.MaxChannels)
        {
            throw new ArrayGeometryException(source, $"{_microphones.Length} microphones; at most {Audio.AudioFormat.MaxChannels} are supported");
        }

        for (int i = 0; i < _microphones.Length; i++)
        {
            var m = _microphones[i];
            string label = $"microphone {i + 1} ('{m.Name}')";
            CheckFinite(source, label, "x", m.X);
            CheckFinite(source, label, "y", m.Y);
            CheckFinite(source, label, "z", m.Z);
        }

        for (int i = 0; i < _microphones.Length; i++)
        {
            for (int j = i + 1; j < _microphones.Length; j++)
            {
                if (Distance(_microphones[i], _microphones[j]) < MinSeparationM)
                {
                    throw new ArrayGeometryException(source,
                        $"microphone {i + 1} ('{_microphones[i].Name}') and microphone {j + 1} ('{_microphones[j].Name}') are at the same position (closer than 1 mm)");
                }
            }
        }
    }

    private static void CheckFinite(string source, string label, string axis, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArrayGeometryException(source, $"{label}: {axis} is {value.ToString(CultureInfo.InvariantCulture)}; coordinates must be finite numbers in metres");
        }

        if (Math.Abs(value) > 100)
        {
            throw new ArrayGeometryException(source, $"{label}: {axis} = {value.ToString(CultureInfo.InvariantCulture)} m is implausible for a microphone array (|coordinate| <= 100 m)");
        }
    }

    private static double Coordinate(JsonElement mic, string axis, string source, string label, bool required)
    {
        if (!mic.TryGetProperty(axis, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (!required) return 0.0;
            throw new ArrayGeometryException(source, $"{label}: missing coordinate \"{axis}\" (metres)");
        }

        double value;
        if (v.ValueKind == JsonValueKind.Number)
        {
            if (!v.TryGetDouble(out value) || !double.IsFinite(value))
            {
                throw new ArrayGeometryException(source, $"{label}: {axis} = {v.GetRawText()} is not a finite number");
            }
        }
        else if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            // Strings such as "NaN" parse here so the finiteness check below can name them.
        }
        else
        {
            throw new ArrayGeometryException(source, $"{label}: {axis} must be a number in metres (found {v.ValueKind.ToString().ToLowerInvariant()})");
        }

        CheckFinite(source, label, axis, value);
        return value;
    }

    private static double Distance(Microphone a, Microphone b)
    {
        double dx = a.X - b.X, dy = a.Y - b.Y, dz = a.Z - b.Z;
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }

    private ArrayShape Classify(out (double X, double Y, double Z) axis)
    {
        // The axis runs from the first microphone to the one farthest from it.
        var first = _microphones[0];
        int far = 1;
        for (int i = 2; i < _microphones.Length; i++)
        {
            if (Distance(first, _microphones[i]) > Distance(first, _microphones[far])) far = i;
        }

        double len = Distance(first, _microphones[far]);
        double ux = (_microphones[far].X - first.X) / len, uy = (_microphones[far].Y - first.Y) / len, uz = (_microphones[far].Z - first.Z) / len;
        bool collinear = true;
        foreach (var m in _microphones)
        {
            double dx = m.X - first.X, dy = m.Y - first.Y, dz = m.Z - first.Z;
            double along = dx * ux + dy * uy + dz * uz;
            double px = dx - along * ux, py = dy - along * uy, pz = dz - along * uz;
            if (Math.Sqrt(px * px + py * py + pz * pz) > ShapeToleranceM)
            {
                collinear = false;
                break;
            }
        }

        if (collinear)
        {
            // Orient the axis from the lowest to the highest channel so "angle from the axis" is defined by channel order.
            var last = _microphones[^1];
            if ((last.X - first.X) * ux + (last.Y - first.Y) * uy + (last.Z - first.Z) * uz < 0)
            {
                ux = -ux;
                uy = -uy;
                uz = -uz;
            }

            axis = (ux, uy, uz);
            return ArrayShape.Linear;
        }

        axis = (0, 0, 0);
        foreach (var m in _microphones)
        {
            if (Math.Abs(m.Z - first.Z) > ShapeToleranceM) return ArrayShape.ThreeDimensional;
        }

        return ArrayShape.Planar;
    }

    private (double Min, int A, int B, double Max) Spacings()
    {
        double min = double.MaxValue, max = 0;
        int a = 0, b = 1;
        for (int i = 0; i < _microphones.Length; i++)
        {
            for (int j = i + 1; j < _microphones.Length; j++)
            {
                double d = Distance(_microphones[i], _microphones[j]);
                if (d < min)
                {
                    min = d;
                    a = i;
                    b = j;
                }

                max = Math.Max(max, d);
            }
        }

        return (min, a, b, max);
    }

    private static string FirstSentence(string message)
    {
        int dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..(dot + 1)] : message;
    }
}
