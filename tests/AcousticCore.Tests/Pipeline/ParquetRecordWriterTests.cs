using AcousticCore.Parquet;
using AcousticCore.Pipeline;
using ParquetSharp;
using Xunit;

namespace AcousticCore.Tests.Pipeline;

/// <summary>
/// The Parquet output, read back by Apache Arrow's C++ Parquet reader (ParquetSharp), an implementation independent of
/// Parquet.Net that writes it.
/// </summary>
public sealed class ParquetRecordWriterTests
{
    /// <summary>Every column of a Parquet file: name, physical/logical reading as object values, row by row.</summary>
    internal static Dictionary<string, PhysicalType> Types(string path)
    {
        using var file = new ParquetFileReader(path);
        var types = new Dictionary<string, PhysicalType>(StringComparer.Ordinal);
        for (int c = 0; c < file.FileMetaData.NumColumns; c++) types.Add(file.FileMetaData.Schema.Column(c).Name, file.FileMetaData.Schema.Column(c).PhysicalType);
        return types;
    }

    internal static Dictionary<string, object?[]> ReadAll(string path)
    {
        using var file = new ParquetFileReader(path);
        int columns = file.FileMetaData.NumColumns;
        long rows = file.FileMetaData.NumRows;
        var result = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        var values = new List<object?>[columns];
        for (int c = 0; c < columns; c++) values[c] = [];
        for (int g = 0; g < file.FileMetaData.NumRowGroups; g++)
        {
            using RowGroupReader group = file.RowGroup(g);
            int n = checked((int)group.MetaData.NumRows);
            for (int c = 0; c < columns; c++)
            {
                using ColumnReader column = group.Column(c);
                object?[] read = column.ColumnDescriptor.PhysicalType switch
                {
                    PhysicalType.Double => column.LogicalReader<double?>().ReadAll(n).Cast<object?>().ToArray(),
                    PhysicalType.Int64 => column.LogicalReader<long?>().ReadAll(n).Cast<object?>().ToArray(),
                    PhysicalType.Boolean => column.LogicalReader<bool?>().ReadAll(n).Cast<object?>().ToArray(),
                    PhysicalType.ByteArray => column.LogicalReader<string?>().ReadAll(n).Cast<object?>().ToArray(),
                    var other => throw new InvalidOperationException($"unexpected physical type {other}"),
                };
                values[c].AddRange(read);
            }
        }

        for (int c = 0; c < columns; c++)
        {
            Assert.Equal(rows, values[c].Count);
            result.Add(file.FileMetaData.Schema.Column(c).Name, values[c].ToArray());
        }

        return result;
    }

    private static string Path(string name) => System.IO.Path.Combine(TestSupport.CliHarness.TempDir(), name);

    [Fact]
    public void RecordsOfDifferentKindsBecomeOneTableWithTypedNullableColumns()
    {
        string path = Path("records.parquet");
        using (var writer = new ParquetRecordWriter(File.Create(path)))
        {
            writer.Write(new ResultRecord("window").Add("file", "a.wav").Add("time_s", 0.5).Add("label", "speech").Add("confidence", 0.91));
            writer.Write(new ResultRecord("window").Add("file", "a.wav").Add("time_s", double.NaN).AddNull("label").Add("confidence", 1.0));
            writer.Write(new ResultRecord("summary").Add("file", "a.wav").Add("windows", 2L).Add("clipped", true));
            Assert.Equal(3, writer.RowCount);
        }

        var table = ReadAll(path);
        Assert.Equal(["kind", "file", "time_s", "label", "confidence", "windows", "clipped"], table.Keys);
        Assert.Equal(["window", "window", "summary"], table["kind"]);
        Assert.Equal([0.5, null, null], table["time_s"]);            // NaN is null, as in JSON lines; absent is null
        Assert.Equal(["speech", null, null], table["label"]);
        Assert.Equal([0.91, 1.0, null], table["confidence"]);
        Assert.Equal([null, null, 2L], table["windows"]);             // integers stay 64-bit integers
        Assert.Equal([null, null, true], table["clipped"]);
    }

    [Fact]
    public void DeclaredColumnsKeepTheirPlaceAndTypeEvenWhenOnlyNullAndNaNIsTypedDouble()
    {
        string path = Path("declared.parquet");
        ParquetColumn[] declared =
        [
            new("kind", ParquetColumnType.Text), new("label", ParquetColumnType.Text), new("confidence", ParquetColumnType.Number),
            new("windows", ParquetColumnType.WholeNumber), new("ok", ParquetColumnType.Boolean),
        ];
        using (var writer = new ParquetRecordWriter(File.Create(path), declared))
        {
            // One short file: every value null, the extra field only NaN, and declared fields in another order.
            writer.Write(new ResultRecord("summary").Add("windows", 0L).AddNull("label").AddNull("confidence").Add("level_db", double.NaN));
        }

        Assert.Equal(["kind", "label", "confidence", "windows", "ok", "level_db"], ReadAll(path).Keys);
        var types = Types(path);
        Assert.Equal(PhysicalType.ByteArray, types["label"]);
        Assert.Equal(PhysicalType.Double, types["confidence"]);
        Assert.Equal(PhysicalType.Int64, types["windows"]);
        Assert.Equal(PhysicalType.Boolean, types["ok"]);
        Assert.Equal(PhysicalType.Double, types["level_db"]);      // NaN is a double that is null, not an untyped null
        Assert.Equal([null], ReadAll(path)["level_db"]);

        using var refuses = new ParquetRecordWriter(new MemoryStream(), declared);
        Assert.Throws<InvalidOperationException>(() => refuses.Write(new ResultRecord("r").Add("windows", 1.5)));
        Assert.Throws<ArgumentException>(() => new ParquetRecordWriter(new MemoryStream(), [new("a", ParquetColumnType.Text), new("a", ParquetColumnType.Number)]));
    }

    [Fact]
    public void MixedValuesWidenIntegersToDoubleAndAnythingWithTextToText()
    {
        string path = Path("mixed.parquet");
        using (var writer = new ParquetRecordWriter(File.Create(path)))
        {
            writer.Write(new ResultRecord("r").Add("n", 3L).Add("t", 1.25).Add("b", true));
            writer.Write(new ResultRecord("r").Add("n", 0.5).Add("t", "n/a").Add("b", 2L));
            writer.Write(new ResultRecord("r").Add("n", 9_007_199_254_740_992L).Add("t", 7L).Add("b", false).Add("big", long.MaxValue));
            writer.Write(new ResultRecord("r").Add("big", 9_007_199_254_740_993L));
        }

        var table = ReadAll(path);
        Assert.Equal([3.0, 0.5, 9_007_199_254_740_992.0, null], table["n"]);
        Assert.Equal([null, null, long.MaxValue, 9_007_199_254_740_993L], table["big"]);   // 64-bit integers kept exact
        Assert.Equal(["1.25", "n/a", "7", null], table["t"]);              // numbers as JSON lines and CSV write them
        Assert.Equal(["true", "2", "false", null], table["b"]);
    }

    [Fact]
    public void ManyRowsSpanRowGroupsAndNoRecordsStillMakeAValidFile()
    {
        string path = Path("many.parquet");
        int n = ParquetRecordWriter.RowGroupRows * 2 + 17;
        using (var writer = new ParquetRecordWriter(File.Create(path)))
        {
            for (int i = 0; i < n; i++) writer.Write(new ResultRecord("interval").Add("sample", (long)i).Add("level_db", -i * 0.25));
        }

        using (var file = new ParquetFileReader(path)) Assert.Equal(3, file.FileMetaData.NumRowGroups);
        var table = ReadAll(path);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (object?)(long)i), table["sample"]);
        Assert.Equal(-(n - 1) * 0.25, table["level_db"][n - 1]);

        string empty = Path("empty.parquet");
        new ParquetRecordWriter(File.Create(empty)).Dispose();
        var none = ReadAll(empty);
        Assert.Equal(["kind"], none.Keys);
        Assert.Empty(none["kind"]);
    }

    [Fact]
    public void DeclaredColumnsStreamRowGroupsAsTheyFill()
    {
        string path = Path("streamed.parquet");
        int n = ParquetRecordWriter.RowGroupRows * 2 + 5;
        var stream = File.Create(path);
        using (var writer = new ParquetRecordWriter(stream, [new("kind", ParquetColumnType.Text), new("i", ParquetColumnType.WholeNumber)]))
        {
            writer.Write(new ResultRecord("first").Add("i", 0L).Add("extra", 0.5));   // undeclared, before the schema: a column
            for (int i = 1; i < ParquetRecordWriter.RowGroupRows; i++) writer.Write(new ResultRecord("r").Add("i", (long)i));
            Assert.True(stream.Length > 0);                                            // the first row group is out already
            Assert.Throws<InvalidOperationException>(() => writer.Write(new ResultRecord("r").Add("late", 1.0)));
            Assert.Throws<InvalidOperationException>(() => writer.Write(new ResultRecord("r").Add("extra", "text")));
            for (int i = ParquetRecordWriter.RowGroupRows; i < n; i++) writer.Write(new ResultRecord("r").Add("i", (long)i));
        }

        using (var file = new ParquetFileReader(path)) Assert.Equal(3, file.FileMetaData.NumRowGroups);
        var table = ReadAll(path);
        Assert.Equal(["kind", "i", "extra"], table.Keys);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (object?)(long)i), table["i"]);
        Assert.Equal(0.5, table["extra"][0]);
        Assert.All(table["extra"].Skip(1), Assert.Null);
    }

    /// <summary>A stream whose writes fail while <see cref="Failing"/> is set.</summary>
    private sealed class FlakyStream(Stream inner) : Stream
    {
        public bool Failing { get; set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Failing) throw new IOException("disk full");
            inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Failing) throw new IOException("disk full");
            return inner.WriteAsync(buffer, cancellationToken);
        }
    }

    [Fact]
    public void ARowGroupThatFailsLeavesAnIncompleteFileNotAValidLookingOne()
    {
        var bytes = new MemoryStream();
        var flaky = new FlakyStream(bytes);
        var writer = new ParquetRecordWriter(flaky, [new("kind", ParquetColumnType.Text), new("i", ParquetColumnType.WholeNumber)]);
        for (int i = 0; i < ParquetRecordWriter.RowGroupRows - 1; i++) writer.Write(new ResultRecord("r").Add("i", (long)i));
        flaky.Failing = true;
        Assert.Throws<IOException>(() => writer.Write(new ResultRecord("r").Add("i", -1L)));   // this record fills the group
        flaky.Failing = false;
        var e = Assert.Throws<InvalidOperationException>(() => writer.Write(new ResultRecord("r").Add("i", 0L)));
        Assert.IsType<IOException>(e.InnerException);
        writer.Dispose();
        string path = Path("incomplete.parquet");
        File.WriteAllBytes(path, bytes.ToArray());
        Assert.ThrowsAny<Exception>(() => new ParquetFileReader(path).Dispose());   // no footer: no reader takes it for a table
    }

    [Fact]
    public void AFieldTwiceInOneRecordAndWritesAfterTheFileAreErrors()
    {
        var stream = new MemoryStream();
        var writer = new ParquetRecordWriter(stream, leaveOpen: true);
        Assert.Throws<InvalidOperationException>(() => writer.Write(new ResultRecord("r").Add("x", 1.0).Add("x", 2.0)));
        writer.Write(new ResultRecord("r").Add("x", 3.0));   // the refused record changed nothing
        Assert.Equal(1, writer.RowCount);
        writer.Dispose();
        Assert.True(stream.Length > 0);
        Assert.Throws<ObjectDisposedException>(() => writer.Write(new ResultRecord("r")));
        Assert.Throws<ArgumentException>(() => new ParquetRecordWriter(new MemoryStream([], writable: false)));
    }
}

/// <summary><c>--format parquet</c> of analyze and classify: the same records as JSON lines, as a typed table.</summary>
public sealed class ParquetCliTests
{
    private static string Samples([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        string? dir = System.IO.Path.GetDirectoryName(source);
        while (dir is not null && !Directory.Exists(System.IO.Path.Combine(dir, "samples", "audio"))) dir = System.IO.Path.GetDirectoryName(dir);
        return System.IO.Path.Combine(dir ?? throw new InvalidOperationException("samples/audio not found"), "samples", "audio");
    }

    [Theory]
    [InlineData("analyze --interval 0.5", "speech.wav street.wav", "kind file")]
    [InlineData("classify --threads 1", "", "kind file label label_2 label_3")]
    [InlineData("voice features", "speech.wav alarm.wav", "kind file note")]
    public void ParquetHoldsTheJsonLinesRecords(string commandLine, string files, string textColumns)
    {
        string samples = Samples();
        string[] command = commandLine.Split(' ');
        string[] inputs = files.Length == 0 ? [samples] : files.Split(' ').Select(f => System.IO.Path.Combine(samples, f)).ToArray();
        var jsonl = TestSupport.CliHarness.Run([.. command, .. inputs, "--format", "jsonl"]);
        Assert.True(jsonl.ExitCode == 0, jsonl.Error);
        string path = System.IO.Path.Combine(TestSupport.CliHarness.TempDir(), "out.parquet");
        var parquet = TestSupport.CliHarness.Run([.. command, .. inputs, "--format", "parquet", "--out", path]);
        Assert.True(parquet.ExitCode == 0, parquet.Error);
        Assert.Equal("", parquet.Out);

        var records = jsonl.JsonRecords();
        var table = ParquetRecordWriterTests.ReadAll(path);
        Assert.Equal(textColumns.Split(' ').Order(StringComparer.Ordinal),
            ParquetRecordWriterTests.Types(path).Where(t => t.Value == PhysicalType.ByteArray).Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Equal(records.Count, table["kind"].Length);
        Assert.True(records.Count > 10);
        Assert.Equal(records.SelectMany(r => r.Keys).Distinct().Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        for (int i = 0; i < records.Count; i++)
        {
            foreach (var (name, column) in table)
            {
                object? cell = column[i];
                if (!records[i].TryGetValue(name, out var json) || json.ValueKind == System.Text.Json.JsonValueKind.Null)
                {
                    Assert.True(cell is null, $"row {i} {name}: {cell}");
                    continue;
                }

                object expected = cell switch
                {
                    double => json.GetDouble(),
                    long => json.GetInt64(),
                    bool => json.GetBoolean(),
                    _ => json.ValueKind == System.Text.Json.JsonValueKind.String ? json.GetString()! : json.GetRawText(),
                };
                Assert.True(Equals(expected, cell), $"row {i} {name}: json {json.GetRawText()}, parquet {cell}");
            }
        }
    }

    [Fact]
    public void SilenceAndATooShortFileKeepTheNumericColumnsNumeric()
    {
        string dir = TestSupport.CliHarness.TempDir();
        string silent = TestSupport.CliHarness.WriteWav(System.IO.Path.Combine(dir, "silent.wav"), new float[32000], 16000, 1);
        string tiny = TestSupport.CliHarness.WriteWav(System.IO.Path.Combine(dir, "tiny.wav"), new float[400], 16000, 1);
        foreach (var (command, file, column) in new[] { ("analyze", silent, "laeq_db"), ("classify", tiny, "confidence") })
        {
            string path = System.IO.Path.Combine(dir, command + ".parquet");
            var run = TestSupport.CliHarness.Run(command, file, "--format", "parquet", "--out", path);
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Equal(PhysicalType.Double, ParquetRecordWriterTests.Types(path)[column]);
            Assert.All(ParquetRecordWriterTests.ReadAll(path)[column], Assert.Null);
        }
    }

    [Fact]
    public void ClassifyOutWritesWhatStandardOutputWouldShow()
    {
        string wav = System.IO.Path.Combine(Samples(), "alarm.wav");
        string path = System.IO.Path.Combine(TestSupport.CliHarness.TempDir(), "labels.csv");
        var toStdout = TestSupport.CliHarness.Run("classify", wav, "--format", "csv");
        var toFile = TestSupport.CliHarness.Run("classify", wav, "--format", "csv", "--out", path);
        Assert.Equal(0, toFile.ExitCode);
        Assert.Equal("", toFile.Out);
        Assert.Equal(toStdout.Out, File.ReadAllText(path));
    }

    [Fact]
    public void ParquetNeedsAFileAndOnlyCommandsThatWriteItAcceptIt()
    {
        string wav = System.IO.Path.Combine(Samples(), "speech.wav");
        foreach (string[] command in new[] { new[] { "analyze" }, ["classify"], ["voice", "features"] })
        {
            var run = TestSupport.CliHarness.Run([.. command, wav, "--format", "parquet"]);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("give --out FILE", run.Error, StringComparison.Ordinal);
            run = TestSupport.CliHarness.Run([.. command, wav, "--format", "parquet", "--out", System.IO.Path.Combine(wav, "x.parquet")]);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("--out: cannot write", run.Error, StringComparison.Ordinal);
        }

        var stream = TestSupport.CliHarness.Run(() => new MemoryStream([]), "stream", "--input", "stdin", "--format", "parquet");
        Assert.Equal(2, stream.ExitCode);
        Assert.Contains("use table, jsonl or csv", stream.Error, StringComparison.Ordinal);
    }
}
