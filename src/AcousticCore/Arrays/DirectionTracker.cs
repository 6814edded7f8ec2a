namespace AcousticCore.Arrays;

/// <summary>Settings of <see cref="DirectionTracker"/>; every value is checked when set.</summary>
public sealed class DirectionTrackerOptions
{
    private readonly double _smoothing = 0.5;
    private readonly double _gateDeg = 20;
    private readonly int _confirmWindows = 2;
    private readonly double _minPower = 0.05;

    /// <summary>Weight of a new measurement inside the gate, 0 &lt; w ≤ 1 (default 0.5; 1 = no smoothing).</summary>
    public double Smoothing
    {
        get => _smoothing;
        init => _smoothing = double.IsFinite(value) && value > 0 && value <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Smoothing), value, "Must be in (0, 1].");
    }

    /// <summary>Largest jump in degrees treated as the same source moving, 1..180 (default 20).</summary>
    public double GateDeg
    {
        get => _gateDeg;
        init => _gateDeg = double.IsFinite(value) && value >= 1 && value <= 180
            ? value
            : throw new ArgumentOutOfRangeException(nameof(GateDeg), value, "Must be 1..180 degrees.");
    }

    /// <summary>Consecutive windows a new direction outside the gate must persist before the track jumps to it, 1..100 (default 2).</summary>
    public int ConfirmWindows
    {
        get => _confirmWindows;
        init => _confirmWindows = value >= 1 && value <= 100
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ConfirmWindows), value, "Must be 1..100.");
    }

    /// <summary>Measurements with SRP power below this are ignored (the track holds), 0..1 (default 0.05).</summary>
    public double MinPower
    {
        get => _minPower;
        init => _minPower = double.IsFinite(value) && value >= 0 && value <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinPower), value, "Must be 0..1.");
    }
}

/// <summary>
/// Follows one source across windows: smooths directions inside a gate, holds through weak windows,
/// and jumps to a new direction only after it persists for <see cref="DirectionTrackerOptions.ConfirmWindows"/>.
/// </summary>
/// <remarks>
/// Directions are smoothed as unit vectors, so the track passes 359° → 0° without a detour. For a linear
/// array the axis angle (0–180°) is treated as an azimuth in a half plane. Allocation-free.
/// </remarks>
public sealed class DirectionTracker
{
    private readonly DirectionTrackerOptions _options;
    private readonly double _cosGate;
    private bool _hasTrack;
    private double _x, _y, _z, _power;
    private bool _hasCandidate;
    private double _cx, _cy, _cz;
    private int _candidateCount;
    private bool _reportsElevation;

    /// <summary>Creates a tracker with <paramref name="options"/> (defaults when null).</summary>
    public DirectionTracker(DirectionTrackerOptions? options = null)
    {
        _options = options ?? new DirectionTrackerOptions();
        _cosGate = Math.Cos(_options.GateDeg * Math.PI / 180.0);
    }

    /// <summary>True once a measurement has started a track.</summary>
    public bool HasTrack => _hasTrack;

    /// <summary>The tracked direction (power of the last accepted measurement); NaN angles before the first track.</summary>
    public DoaEstimate Current => _hasTrack
        ? ToEstimate(_x, _y, _z, _power)
        : new DoaEstimate(double.NaN, double.NaN, 0);

    /// <summary>Feeds one window's strongest estimate and returns the updated track.</summary>
    public DoaEstimate Update(DoaEstimate measurement)
    {
        if (!double.IsFinite(measurement.AzimuthDeg) || measurement.Power < _options.MinPower) return Current;
        _reportsElevation = double.IsFinite(measurement.ElevationDeg);
        var (mx, my, mz) = ToVector(measurement);
        if (!_hasTrack)
        {
            (_x, _y, _z, _power, _hasTrack) = (mx, my, mz, measurement.Power, true);
            return Current;
        }

        if (mx * _x + my * _y + mz * _z >= _cosGate)
        {
            double w = _options.Smoothing;
            (_x, _y, _z) = Normalise(_x + w * (mx - _x), _y + w * (my - _y), _z + w * (mz - _z), mx, my, mz);
            _power = measurement.Power;
            _hasCandidate = false;
            _candidateCount = 0;
            return Current;
        }

        if (_hasCandidate && mx * _cx + my * _cy + mz * _cz >= _cosGate)
        {
            _candidateCount++;
        }
        else
        {
            (_cx, _cy, _cz, _hasCandidate, _candidateCount) = (mx, my, mz, true, 1);
        }

        if (_candidateCount >= _options.ConfirmWindows)
        {
            (_x, _y, _z, _power) = (mx, my, mz, measurement.Power);
            _hasCandidate = false;
            _candidateCount = 0;
        }

        return Current;
    }

    /// <summary>Forgets the track.</summary>
    public void Reset()
    {
        _hasTrack = false;
        _hasCandidate = false;
        _candidateCount = 0;
    }

    private static (double, double, double) ToVector(DoaEstimate e)
    {
        double az = e.AzimuthDeg * Math.PI / 180.0;
        double el = double.IsFinite(e.ElevationDeg) ? e.ElevationDeg * Math.PI / 180.0 : 0;
        return (Math.Cos(el) * Math.Cos(az), Math.Cos(el) * Math.Sin(az), Math.Sin(el));
    }

    private DoaEstimate ToEstimate(double x, double y, double z, double power)
    {
        double az = Math.Atan2(y, x) * 180.0 / Math.PI;
        if (az < 0) az += 360.0;
        if (az >= 360.0) az -= 360.0;
        double el = _reportsElevation ? Math.Asin(Math.Clamp(z, -1, 1)) * 180.0 / Math.PI : double.NaN;
        return new DoaEstimate(az, el, power);
    }

    private static (double, double, double) Normalise(double x, double y, double z, double fx, double fy, double fz)
    {
        double len = Math.Sqrt(x * x + y * y + z * z);
        // Opposite vectors average to zero: take the measurement then.
        return len < 1e-9 ? (fx, fy, fz) : (x / len, y / len, z / len);
    }
}
