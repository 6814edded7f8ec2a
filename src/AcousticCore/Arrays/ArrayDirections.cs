namespace AcousticCore.Arrays;

/// <summary>Converts the reported angles of an array into unit direction vectors in the array frame.</summary>
internal static class ArrayDirections
{
    /// <summary>
    /// Unit vector towards a source: (cos el·cos az, cos el·sin az, sin el); for a linear array
    /// <paramref name="azimuthDeg"/> is the angle from the axis and the vector lies in a plane through it.
    /// </summary>
    public static (double X, double Y, double Z) UnitVector(ArrayGeometry geometry, double azimuthDeg, double elevationDeg)
    {
        double theta = azimuthDeg * Math.PI / 180.0;
        if (geometry.Shape == ArrayShape.Linear)
        {
            var (ax, ay, az) = geometry.Axis;
            var (qx, qy, qz) = Perpendicular(geometry.Axis);
            double c = Math.Cos(theta), s = Math.Sin(theta);
            return (c * ax + s * qx, c * ay + s * qy, c * az + s * qz);
        }

        double el = double.IsFinite(elevationDeg) ? elevationDeg * Math.PI / 180.0 : 0;
        return (Math.Cos(el) * Math.Cos(theta), Math.Cos(el) * Math.Sin(theta), Math.Sin(el));
    }

    /// <summary>A unit vector perpendicular to <paramref name="axis"/> (in the xy plane when possible).</summary>
    public static (double X, double Y, double Z) Perpendicular((double X, double Y, double Z) axis)
    {
        var (ax, ay, az) = axis;
        double x, y, z;
        if (Math.Abs(az) < 0.9)
        {
            (x, y, z) = (-ay, ax, 0);
        }
        else
        {
            (x, y, z) = (0, -az, ay);
        }

        double len = Math.Sqrt(x * x + y * y + z * z);
        return (x / len, y / len, z / len);
    }
}
