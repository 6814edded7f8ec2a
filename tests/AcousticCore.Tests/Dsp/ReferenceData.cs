using System.Globalization;

namespace AcousticCore.Tests.Dsp;

/// <summary>Reads the comma-separated reference tables that sit beside the tests (lines starting with # are notes).</summary>
internal static class ReferenceData
{
    public static List<Dictionary<string, string>> ReadCsv(string relativePath)
    {
        string path = Path.Combine(AppContext.BaseDirectory, relativePath);
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        string[] header = lines[0].Split(',');
        var rows = new List<Dictionary<string, string>>();
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            var row = new Dictionary<string, string>();
            for (int i = 0; i < header.Length; i++) row[header[i]] = cells[i];
            rows.Add(row);
        }

        return rows;
    }

    public static double Number(this Dictionary<string, string> row, string column) =>
        row[column] switch
        {
            "-inf" => double.NegativeInfinity,
            "inf" => double.PositiveInfinity,
            _ => double.Parse(row[column], CultureInfo.InvariantCulture),
        };

    private static double ParseNumber(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
