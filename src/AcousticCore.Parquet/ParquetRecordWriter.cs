using System.Globalization;
using AcousticCore.Pipeline;
using global::Parquet;
using global::Parquet.Schema;

namespace AcousticCore.Parquet;

/// <summary>The Parquet type of a declared column.</summary>
public enum ParquetColumnType
{
    /// <summary>64-bit floating point (integers are widened).</summary>
    Number,
    /// <summary>64-bit integer.</summary>
    WholeNumber,
    /// <summary>Boolean.</summary>
    Boolean,
    /// <summary>UTF-8 text (numbers and booleans written as JSON lines writes them).</summary>
    Text,
}

/// <summary>A column whose place and type are fixed before any record, whatever values the records hold.</summary>
/// <param name="Name">Field name.</param>
/// <param name="Type">Parquet type.</param>
public sealed record ParquetColumn(string Name, ParquetColumnType Type);

/// <summary>
/// Writes result records to an Apache Parquet file: one column per field name and one row per record; a record without a
/// field leaves it null. Parquet needs the whole schema (every column and its type) before the first row. With declared
/// columns (<see cref="ParquetColumn"/>) the schema is known, so rows go out a row group at a time and memory stays
/// bounded (one row group, about 17 bytes per value); without, every record is held in memory column by column and the
/// file is written when the writer is disposed.
/// </summary>
/// <remarks>
/// Declared columns come first, in their order and with their type, so that files of different runs share one schema
/// even when a run has only nulls in a column. Other fields follow in the order they first appear, typed by their values:
/// text if any value is text (numbers in it are then written as JSON lines and CSV write them), else boolean if every
/// value is, else 64-bit integer if every value is an integer, else double; a column that never holds a value is text.
/// Once the schema is written (the first row group, with declared columns), a new field or a value that does not fit its
/// column is refused. NaN and infinities are null, as in JSON lines and CSV, in a double column. Rows go in groups of
/// <see cref="RowGroupRows"/>.
/// </remarks>
public sealed class ParquetRecordWriter : IRecordWriter, IDisposable
{
    /// <summary>Rows per Parquet row group.</summary>
    public const int RowGroupRows = 16_384;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly List<Column> _columns = [];
    private readonly Dictionary<string, Column> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly bool _streaming;
    private ParquetWriter? _writer;   // created with the schema, at the first row group
    private DataField[] _fields = [];
    private int _rows;
    private int _buffered;   // rows held in the columns, not yet in a row group
    private bool _disposed;
    private Exception? _fault;   // a row group that failed half-way: the file cannot be finished

    /// <summary>Writes to <paramref name="output"/>: row groups as they fill (with declared columns), the rest when disposed.</summary>
    /// <param name="output">A writable stream, such as a new file.</param>
    /// <param name="columns">Columns whose place and type are fixed up front (optional; with them, rows stream out).</param>
    /// <param name="leaveOpen">Leave <paramref name="output"/> open after writing.</param>
    /// <exception cref="ArgumentException">The stream is not writable, or a declared name is empty or repeated.</exception>
    public ParquetRecordWriter(Stream output, IEnumerable<ParquetColumn>? columns = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(output));
        _output = output;
        _leaveOpen = leaveOpen;
        foreach (ParquetColumn declared in columns ?? [])
        {
            if (string.IsNullOrEmpty(declared.Name) || _byName.ContainsKey(declared.Name))
            {
                throw new ArgumentException($"Declared column name '{declared.Name}' is empty or repeated.", nameof(columns));
            }

            var column = new Column(declared.Name, declared.Type);
            _columns.Add(column);
            _byName.Add(declared.Name, column);
        }

        _streaming = _columns.Count > 0;
    }

    /// <summary>Records written so far (rows of the file).</summary>
    public int RowCount => _rows;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The record names a field twice, holds a value its column's type cannot hold, brings a
    /// new field after the schema was written, or is one record too many.</exception>
    /// <exception cref="ObjectDisposedException">The file was already written.</exception>
    public void Write(ResultRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is not null) throw new InvalidOperationException("An earlier row group could not be written; the file is incomplete.", _fault);
        if (_rows == int.MaxValue) throw new InvalidOperationException("Too many records for one Parquet file.");

        // Checked before any column changes, so a refused record leaves the table as it was.
        _names.Clear();
        foreach (var (name, value) in record.Fields)
        {
            if (!_names.Add(name)) throw new InvalidOperationException($"The record names the field '{name}' twice.");
            if (_byName.TryGetValue(name, out Column? known)) known.Check(value);
            else if (_writer is not null) throw new InvalidOperationException($"Field '{name}' is new after the file's schema was written; declare it.");
        }

        foreach (var (name, value) in record.Fields)
        {
            if (!_byName.TryGetValue(name, out Column? column))
            {
                column = new Column(name, null);
                _columns.Add(column);
                _byName.Add(name, column);
            }

            column.Add(_buffered, value);
        }

        _rows++;
        _buffered++;
        if (_streaming && _buffered >= RowGroupRows) WriteBufferedOrFault();
    }

    /// <summary>Nothing to flush: rows go out a whole row group at a time, and the rest when the writer is disposed.</summary>
    public void Flush()
    {
    }

    /// <summary>
    /// Writes the rest of the file (the rows held, the footer) and closes the stream unless told to leave it open; after a
    /// row group failed to write, only closes it (the file is incomplete).
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            // After a failed row group the file is left without its footer: plainly incomplete, not a valid-looking file
            // holding a half-written group.
            if (_fault is null) FinishAsync().GetAwaiter().GetResult();
        }
        finally
        {
            if (!_leaveOpen) _output.Dispose();
        }
    }

    private void WriteBufferedOrFault()
    {
        try
        {
            WriteBufferedAsync().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            _fault = e;
            throw;
        }
    }

    private async Task FinishAsync()
    {
        await WriteBufferedAsync().ConfigureAwait(false);
        await _writer!.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Writes the rows held as row groups (the schema first, when it is the first time) and empties the columns.</summary>
    private async Task WriteBufferedAsync()
    {
        foreach (Column c in _columns) c.PadTo(_buffered);
        if (_writer is null)
        {
            if (_columns.Count == 0) _columns.Add(new Column("kind", ParquetColumnType.Text));   // no record nor declared column: the field every record has
            foreach (Column c in _columns) c.Freeze();
            _fields = _columns.Select(c => c.Field()).ToArray();
            _writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _output).ConfigureAwait(false);
        }

        for (int start = 0; start < _buffered; start += RowGroupRows)
        {
            int count = Math.Min(RowGroupRows, _buffered - start);
            using ParquetRowGroupWriter group = _writer.CreateRowGroup();
            for (int i = 0; i < _columns.Count; i++)
            {
                await _columns[i].WriteAsync(group, _fields[i], start, count).ConfigureAwait(false);
            }

            group.CompleteValidate();
        }

        foreach (Column c in _columns) c.Clear();
        _buffered = 0;
    }

    /// <summary>One field's values, row by row, with what kind each is.</summary>
    private sealed class Column
    {
        private readonly string _name;
        private bool _declared;   // type fixed: declared, or frozen when the schema was written
        private readonly List<Kind> _kinds = [];
        private readonly List<double> _numbers = [];   // doubles, integers as their bits (exact), booleans as 0/1
        private readonly List<string?> _texts = [];
        private Kind _type;   // the column's type: declared, or widened as values come

        public Column(string name, ParquetColumnType? declared)
        {
            _name = name;
            _declared = declared is not null;
            _type = declared switch
            {
                ParquetColumnType.Number => Kind.Double,
                ParquetColumnType.WholeNumber => Kind.Long,
                ParquetColumnType.Boolean => Kind.Bool,
                ParquetColumnType.Text => Kind.Text,
                _ => Kind.Null,
            };
        }

        private enum Kind : byte
        {
            Null,
            Bool,
            Long,
            Double,
            Text,
        }

        /// <summary>Refuses a value that a declared column's type cannot hold (a programming error of the caller).</summary>
        public void Check(object? value)
        {
            if (!_declared || value is null) return;
            Kind kind = Classify(value, out _, out _, out _);
            bool fits = _type switch
            {
                Kind.Double => kind is Kind.Double or Kind.Long or Kind.Null,
                Kind.Long => kind is Kind.Long,
                Kind.Bool => kind is Kind.Bool,
                _ => true,
            };
            if (!fits) throw new InvalidOperationException($"Field '{_name}' is declared {_type} but holds a {value.GetType().Name}.");
        }

        public void Add(int row, object? value)
        {
            PadTo(row);
            Kind kind = Classify(value, out double number, out string? text, out bool present);
            _kinds.Add(present ? kind : Kind.Null);
            _numbers.Add(number);
            _texts.Add(text);
            if (!_declared) _type = Widen(_type, kind);
        }

        /// <summary>Fixes the type inferred so far (the schema is written): later values must fit it.</summary>
        public void Freeze()
        {
            if (_type == Kind.Null) _type = Kind.Text;
            _declared = true;
        }

        /// <summary>Drops the rows written to a row group; the type stays.</summary>
        public void Clear()
        {
            _kinds.Clear();
            _numbers.Clear();
            _texts.Clear();
        }

        /// <summary>
        /// Makes the column exactly <paramref name="rows"/> long: nulls where records lacked the field, and no value of a
        /// record that failed half-way (a later field could not be converted), which was never counted.
        /// </summary>
        public void PadTo(int rows)
        {
            if (_kinds.Count > rows)
            {
                _kinds.RemoveRange(rows, _kinds.Count - rows);
                _numbers.RemoveRange(rows, _numbers.Count - rows);
                _texts.RemoveRange(rows, _texts.Count - rows);
            }

            while (_kinds.Count < rows)
            {
                _kinds.Add(Kind.Null);
                _numbers.Add(0);
                _texts.Add(null);
            }
        }

        public DataField Field() => _type switch
        {
            Kind.Bool => new DataField<bool?>(_name),
            Kind.Long => new DataField<long?>(_name),
            Kind.Double => new DataField<double?>(_name),
            _ => new DataField<string>(_name, true),
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
                    for (int r = 0; r < count; r++) values[r] = _kinds[start + r] == Kind.Null ? null : BitConverter.DoubleToInt64Bits(_numbers[start + r]);
                    return group.WriteAsync<long>(field, values, null, null, default);
                }

                case Kind.Double:
                {
                    var values = new double?[count];
                    for (int r = 0; r < count; r++) values[r] = AsDouble(start + r);
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

        /// <summary>
        /// The kind a value gives the column's type, its number or text, and whether it is a value at all: NaN and infinities
        /// type a column as double but are null.
        /// </summary>
        private static Kind Classify(object? value, out double number, out string? text, out bool present)
        {
            number = 0;
            text = null;
            present = true;
            switch (value)
            {
                case null:
                    present = false;
                    return Kind.Null;
                case double d:
                    present = double.IsFinite(d);
                    number = present ? d : 0;
                    return Kind.Double;
                case float f:
                    present = float.IsFinite(f);
                    number = present ? f : 0;
                    return Kind.Double;
                case long l:
                    number = BitConverter.Int64BitsToDouble(l);
                    return Kind.Long;
                case int i:
                    number = BitConverter.Int64BitsToDouble(i);
                    return Kind.Long;
                case bool b:
                    number = b ? 1 : 0;
                    return Kind.Bool;
                case string str:
                    text = str;
                    return Kind.Text;
                default:
                    text = RecordValueFormat.ToText(value);
                    return Kind.Text;
            }
        }

        private double? AsDouble(int row) => _kinds[row] switch
        {
            Kind.Double => _numbers[row],
            Kind.Long => BitConverter.DoubleToInt64Bits(_numbers[row]),
            _ => null,
        };

        /// <summary>A value of a text column: its text, or a number or boolean as JSON lines and CSV write it.</summary>
        private string? AsText(int row) => _kinds[row] switch
        {
            Kind.Text => _texts[row],
            Kind.Double => RecordValueFormat.ToText(_numbers[row]),
            Kind.Long => BitConverter.DoubleToInt64Bits(_numbers[row]).ToString(CultureInfo.InvariantCulture),
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
