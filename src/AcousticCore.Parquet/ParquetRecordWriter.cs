using System.Globalization;
using AcousticCore.Pipeline;
using global::Parquet;
using global::Parquet.Schema;

namespace AcousticCore.Parquet;

/// <summary>
/// Writes result records to an Apache Parquet file: one column per field name, in the order the names first appear, and one
/// row per record; a record without a field leaves it null. Parquet needs the whole schema (the union of every record's
/// fields, with their types) before the first row, so the records are held in memory column by column (about 17 bytes per
/// value) and the file is written when the writer is disposed.
/// </summary>
/// <remarks>
/// A column is text if any of its values is text (numbers in it are then written as JSON lines and CSV write them), else
/// boolean if every value is, else 64-bit integer if every value is an integer, else double. NaN and infinities are null,
/// as in JSON lines and CSV. Rows go in groups of <see cref="RowGroupRows"/>.
/// </remarks>
public sealed class ParquetRecordWriter : IRecordWriter, IDisposable
{
    /// <summary>Rows per Parquet row group.</summary>
    public const int RowGroupRows = 65_536;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly List<Column> _columns = [];
    private readonly Dictionary<string, Column> _byName = new(StringComparer.Ordinal);
    private int _rows;
    private bool _disposed;

    /// <summary>Writes the file to <paramref name="output"/> when disposed.</summary>
    /// <param name="output">A writable stream, such as a new file.</param>
    /// <param name="leaveOpen">Leave <paramref name="output"/> open after writing.</param>
    public ParquetRecordWriter(Stream output, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(output));
        _output = output;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Records written so far (rows of the file).</summary>
    public int RowCount => _rows;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The record names a field twice, or holds more rows than a Parquet writer here takes.</exception>
    /// <exception cref="ObjectDisposedException">The file was already written.</exception>
    public void Write(ResultRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_rows == int.MaxValue) throw new InvalidOperationException("Too many records for one Parquet file.");
        foreach (var (name, value) in record.Fields)
        {
            if (!_byName.TryGetValue(name, out Column? column))
            {
                column = new Column(name);
                _columns.Add(column);
                _byName.Add(name, column);
            }

            if (column.Count > _rows) throw new InvalidOperationException($"The record names the field '{name}' twice.");
            column.Add(_rows, value);
        }

        _rows++;
    }

    /// <summary>Nothing to flush: Parquet is written whole when the writer is disposed.</summary>
    public void Flush()
    {
    }

    /// <summary>Writes the file (schema, row groups, footer) and closes the stream unless told to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            WriteFileAsync().GetAwaiter().GetResult();
        }
        finally
        {
            if (!_leaveOpen) _output.Dispose();
        }
    }

    private async Task WriteFileAsync()
    {
        foreach (Column c in _columns) c.PadTo(_rows);
        if (_columns.Count == 0) _columns.Add(new Column("kind"));   // no record: a valid file with the one field every record has
        var fields = _columns.Select(c => c.Field()).ToArray();
        var schema = new ParquetSchema(fields);
        var writer = await ParquetWriter.CreateAsync(schema, _output).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            for (int start = 0; start < _rows; start += RowGroupRows)
            {
                int count = Math.Min(RowGroupRows, _rows - start);
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                for (int i = 0; i < _columns.Count; i++)
                {
                    await _columns[i].WriteAsync(group, fields[i], start, count).ConfigureAwait(false);
                }

                group.CompleteValidate();
            }
        }
    }

    /// <summary>One field's values, row by row, with what kind each is.</summary>
    private sealed class Column(string name)
    {
        private readonly List<Kind> _kinds = [];
        private readonly List<double> _numbers = [];   // doubles, integers (exact to 2^53) and booleans (0/1)
        private readonly List<string?> _texts = [];
        private Kind _type = Kind.Null;   // the column's type, widened as values come

        private enum Kind : byte
        {
            Null,
            Bool,
            Long,
            Double,
            Text,
        }

        public int Count => _kinds.Count;

        public void Add(int row, object? value)
        {
            PadTo(row);
            (Kind kind, double number, string? text) = value switch
            {
                null => (Kind.Null, 0d, (string?)null),
                double d => double.IsFinite(d) ? (Kind.Double, d, null) : (Kind.Null, 0d, null),
                float f => float.IsFinite(f) ? (Kind.Double, (double)f, null) : (Kind.Null, 0d, null),
                long l => (Kind.Long, l, null),
                int i => (Kind.Long, i, null),
                bool b => (Kind.Bool, b ? 1d : 0d, null),
                string s => (Kind.Text, 0d, s),
                _ => (Kind.Text, 0d, RecordValueFormat.ToText(value)),
            };
            _kinds.Add(kind);
            _numbers.Add(number);
            _texts.Add(text);
            _type = Widen(_type, kind);
        }

        public void PadTo(int rows)
        {
            while (_kinds.Count < rows)
            {
                _kinds.Add(Kind.Null);
                _numbers.Add(0);
                _texts.Add(null);
            }
        }

        public DataField Field() => _type switch
        {
            Kind.Bool => new DataField<bool?>(name),
            Kind.Long => new DataField<long?>(name),
            Kind.Double => new DataField<double?>(name),
            _ => new DataField<string>(name, true),
        };

        public Task WriteAsync(ParquetRowGroupWriter group, DataField field, int start, int count)
        {
            switch (_type)
            {
                case Kind.Bool:
                {
                    var values = new bool?[count];
                    for (int r = 0; r < count; r++) values[r] = _kinds[start + r] == Kind.Null ? null : _numbers[start + r] != 0;
                    return group.WriteAsync<bool>(field, values, null, null, default);
                }

                case Kind.Long:
                {
                    var values = new long?[count];
                    for (int r = 0; r < count; r++) values[r] = _kinds[start + r] == Kind.Null ? null : (long)_numbers[start + r];
                    return group.WriteAsync<long>(field, values, null, null, default);
                }

                case Kind.Double:
                {
                    var values = new double?[count];
                    for (int r = 0; r < count; r++) values[r] = _kinds[start + r] == Kind.Null ? null : _numbers[start + r];
                    return group.WriteAsync<double>(field, values, null, null, default);
                }

                default:
                {
                    var values = new string?[count];
                    for (int r = 0; r < count; r++) values[r] = AsText(start + r);
                    return group.WriteAsync(field, values!, null);
                }
            }
        }

        /// <summary>A value of a text column: its text, or a number or boolean as JSON lines and CSV write it.</summary>
        private string? AsText(int row) => _kinds[row] switch
        {
            Kind.Text => _texts[row],
            Kind.Double => RecordValueFormat.ToText(_numbers[row]),
            Kind.Long => ((long)_numbers[row]).ToString(CultureInfo.InvariantCulture),
            Kind.Bool => _numbers[row] != 0 ? "true" : "false",
            _ => null,
        };

        /// <summary>The narrowest type that holds both: integers widen to double; booleans with numbers, and anything with text, to text.</summary>
        private static Kind Widen(Kind column, Kind value)
        {
            if (value == Kind.Null || value == column) return column;
            if (column == Kind.Null) return value;
            if (column == Kind.Text || value == Kind.Text || column == Kind.Bool || value == Kind.Bool) return Kind.Text;
            return Kind.Double;   // Long with Double
        }
    }
}
