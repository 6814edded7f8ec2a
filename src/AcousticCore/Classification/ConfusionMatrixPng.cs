using System.Globalization;
using System.IO.Compression;

namespace AcousticCore.Classification;

/// <summary>
/// Renders a confusion matrix as a PNG heat map (cells shaded by row fraction, i.e. recall, with counts; rows
/// are true classes, numbered columns the predicted ones). Self-contained: 8-bit RGB PNG, zlib via
/// <see cref="ZLibStream"/>, a built-in 3×5 pixel font, so it renders on a headless host.
/// </summary>
public static class ConfusionMatrixPng
{
    private const int Scale = 2;      // font pixel size
    private const int Cell = 44;
    private const int Pad = 8;

    private static readonly Dictionary<char, string> Font = new()
    {
        ['0'] = "111101101101111", ['1'] = "010110010010111", ['2'] = "111001111100111", ['3'] = "111001111001111",
        ['4'] = "101101111001001", ['5'] = "111100111001111", ['6'] = "111100111101111", ['7'] = "111001001001001",
        ['8'] = "111101111101111", ['9'] = "111101111001111", ['A'] = "010101111101101", ['B'] = "110101110101110",
        ['C'] = "011100100100011", ['D'] = "110101101101110", ['E'] = "111100110100111", ['F'] = "111100110100100",
        ['G'] = "011100101101011", ['H'] = "101101111101101", ['I'] = "111010010010111", ['J'] = "001001001101010",
        ['K'] = "101101110101101", ['L'] = "100100100100111", ['M'] = "101111111101101", ['N'] = "110101101101101",
        ['O'] = "010101101101010", ['P'] = "110101110100100", ['Q'] = "010101101110011", ['R'] = "110101110101101",
        ['S'] = "011100010001110", ['T'] = "111010010010010", ['U'] = "101101101101111", ['V'] = "101101101101010",
        ['W'] = "101101111111101", ['X'] = "101101010101101", ['Y'] = "101101010010010", ['Z'] = "111001010100111",
        ['.'] = "000000000000010", ['-'] = "000000111000000", ['_'] = "000000000000111", [' '] = "000000000000000",
        [':'] = "000010000010000", ['='] = "000111000111000", ['/'] = "001001010100100",
    };

    /// <summary>Encodes the heat map of <paramref name="metrics"/> with a title line as PNG bytes.</summary>
    public static byte[] Render(ClassificationMetrics metrics, string title)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(title);
        int k = metrics.Classes.Count;
        int labelChars = 4;
        for (int c = 0; c < k; c++) labelChars = Math.Max(labelChars, metrics.Classes[c].Length + 3);
        int charW = 4 * Scale, lineH = 7 * Scale;
        int left = Pad + labelChars * charW + Pad;
        int top = Pad + 2 * lineH + Pad;
        int width = Math.Max(left + k * Cell + Pad, Pad + Math.Min(title.Length, 120) * charW + Pad);
        int height = top + k * Cell + Pad + lineH;
        var rgb = new byte[width * height * 3];
        rgb.AsSpan().Fill(255);

        DrawText(rgb, width, Pad, Pad, title.ToUpperInvariant(), 0);
        for (int c = 0; c < k; c++)
        {
            string number = (c + 1).ToString(CultureInfo.InvariantCulture);
            DrawText(rgb, width, left + c * Cell + Cell / 2 - number.Length * charW / 2, top - lineH - 2, number, 0);
            DrawText(rgb, width, Pad, top + c * Cell + Cell / 2 - 5 * Scale / 2, $"{number} {metrics.Classes[c]}".ToUpperInvariant(), 0);
        }

        for (int t = 0; t < k; t++)
        {
            long rowTotal = metrics.Support[t];
            for (int p = 0; p < k; p++)
            {
                long n = metrics.Confusion(t, p);
                double v = rowTotal > 0 ? (double)n / rowTotal : 0;
                byte r = (byte)(255 - 215 * v), g = (byte)(255 - 160 * v), b = (byte)(255 - 40 * v);
                int x0 = left + p * Cell, y0 = top + t * Cell;
                for (int y = y0; y < y0 + Cell; y++)
                {
                    for (int x = x0; x < x0 + Cell; x++)
                    {
                        bool border = y == y0 || x == x0 || y == y0 + Cell - 1 || x == x0 + Cell - 1;
                        int i = (y * width + x) * 3;
                        rgb[i] = border ? (byte)200 : r;
                        rgb[i + 1] = border ? (byte)200 : g;
                        rgb[i + 2] = border ? (byte)200 : b;
                    }
                }

                string count = n.ToString(CultureInfo.InvariantCulture);
                DrawText(rgb, width, x0 + Cell / 2 - count.Length * charW / 2 + Scale / 2, y0 + Cell / 2 - 5 * Scale / 2, count, v > 0.6 ? (byte)255 : (byte)0);
            }
        }

        DrawText(rgb, width, left, top + k * Cell + Pad / 2, "ROWS: TRUE  COLUMNS: PREDICTED", 0);
        return Encode(rgb, width, height);
    }

    private static void DrawText(byte[] rgb, int width, int x, int y, string text, byte shade)
    {
        int height = rgb.Length / 3 / width;
        foreach (char ch in text)
        {
            if (Font.TryGetValue(ch, out string? glyph))
            {
                for (int row = 0; row < 5; row++)
                {
                    for (int col = 0; col < 3; col++)
                    {
                        if (glyph[row * 3 + col] != '1') continue;
                        for (int dy = 0; dy < Scale; dy++)
                        {
                            for (int dx = 0; dx < Scale; dx++)
                            {
                                int px = x + col * Scale + dx, py = y + row * Scale + dy;
                                if (px < 0 || py < 0 || px >= width || py >= height) continue;
                                int i = (py * width + px) * 3;
                                rgb[i] = rgb[i + 1] = rgb[i + 2] = shade;
                            }
                        }
                    }
                }
            }

            x += 4 * Scale;
        }
    }

    /// <summary>PNG: signature, IHDR (8-bit RGB), one zlib IDAT of filter-0 scanlines, IEND; CRC-32 per chunk (ISO 3309).</summary>
    internal static byte[] Encode(byte[] rgb, int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;   // bit depth
        header[9] = 2;   // colour type RGB
        WriteChunk(png, "IHDR", header);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    z.WriteByte(0);
                    z.Write(rgb, y * width * 3, width * 3);
                }
            }

            WriteChunk(png, "IDAT", raw.ToArray());
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        uint crc = Crc32(typeBytes, 0xFFFFFFFFu);
        crc = Crc32(data, crc) ^ 0xFFFFFFFFu;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        s.Write(len);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }

    internal static uint Crc32(ReadOnlySpan<byte> data, uint crc)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }
}
