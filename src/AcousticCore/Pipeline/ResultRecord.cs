namespace AcousticCore.Pipeline;

/// <summary>
/// One flat result row: a <c>kind</c> and ordered snake_case fields whose unit is in the name.
/// The same record goes to JSON lines, CSV and tables.
/// </summary>
public sealed class ResultRecord
{
    private readonly List<KeyValuePair<string, object?>> _fields = new();

    /// <summary>Creates a record of the given kind (e.g. <c>interval</c>, <c>summary</c>).</summary>
    public ResultRecord(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        Kind = kind;
        _fields.Add(new("kind", kind));
    }

    /// <summary>The record kind, also its first field.</summary>
    public string Kind { get; }

    /// <summary>Fields in output order; values are string, double, long, int, bool or null.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Fields => _fields;

    /// <summary>Appends a text field.</summary>
    public ResultRecord Add(string name, string? value) => AddObject(name, value);

    /// <summary>Appends a number field; NaN and infinities are written as null (JSON) or empty (CSV).</summary>
    public ResultRecord Add(string name, double value) => AddObject(name, value);

    /// <summary>Appends an integer field.</summary>
    public ResultRecord Add(string name, long value) => AddObject(name, value);

    /// <summary>Appends a boolean field.</summary>
    public ResultRecord Add(string name, bool value) => AddObject(name, value);

    /// <summary>Appends a field with no value.</summary>
    public ResultRecord AddNull(string name) => AddObject(name, null);

    /// <summary>Replaces the value of an existing field (e.g. to shift <c>time_s</c> by a chunk offset).</summary>
    /// <exception cref="ArgumentException">No field has that name.</exception>
    public ResultRecord Set(string name, object? value)
    {
        for (int i = 0; i < _fields.Count; i++)
        {
            if (_fields[i].Key == name)
            {
                _fields[i] = new(name, value);
                return this;
            }
        }

        throw new ArgumentException($"The record has no field '{name}'.", nameof(name));
    }

    /// <summary>Value of a field, or null when absent.</summary>
    public object? this[string name]
    {
        get
        {
            foreach (var f in _fields)
            {
                if (f.Key == name) return f.Value;
            }

            return null;
        }
    }

    /// <summary>Number value of a field, NaN when absent or not a number.</summary>
    public double GetDouble(string name) => this[name] switch
    {
        double d => d,
        long l => l,
        int i => i,
        _ => double.NaN,
    };

    private ResultRecord AddObject(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _fields.Add(new(name, value));
        return this;
    }
}
