using System.Text.Json.Nodes;
using AcousticCore.Classification;
using Xunit;

namespace AcousticCore.Tests.Classification;

/// <summary>Every corrupt or mismatched model file is refused with the file and field named.</summary>
public class ModelFileValidationTests
{
    private static JsonObject ValidJson()
    {
        using var stream = new MemoryStream();
        ClassifierModelFile.Write(ClassifierModelTests.TrainSeparable(), stream);
        return JsonNode.Parse(stream.ToArray())!.AsObject();
    }

    private static ModelFileException Refused(string text)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        return Assert.Throws<ModelFileException>(() => ClassifierModelFile.Read(stream, "m.json"));
    }

    [Fact]
    public void ValidFileLoads()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ValidJson().ToJsonString()));
        Assert.Equal(3, ClassifierModelFile.Read(stream, "m.json").ClassCount);
    }

    [Theory]
    [InlineData("format_version", "3", "format_version")]
    [InlineData("format", "\"other\"", "format")]
    [InlineData("confidence_threshold", "1.5", "confidence_threshold")]
    [InlineData("bias", "[1, 2]", "bias")]
    [InlineData("classes", "[\"a\", \"a\", \"c\"]", "classes[1]")]
    [InlineData("weights", "[[1]]", "weights")]
    public void BadFieldIsNamed(string field, string value, string expectedField)
    {
        var json = ValidJson();
        json[field] = JsonNode.Parse(value);
        var e = Refused(json.ToJsonString());
        Assert.Equal(expectedField, e.Field);
        Assert.Contains("m.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherFeatureVersionIsRefused()
    {
        var json = ValidJson();
        json["feature_extractor"]!["version"] = 99;
        Assert.Equal("feature_extractor.version", Refused(json.ToJsonString()).Field);
    }

    [Fact]
    public void AnotherAnalysisWindowIsRefused()
    {
        var json = ValidJson();
        json["feature_extractor"]!["window"] = "hamming";
        var e = Refused(json.ToJsonString());
        Assert.Equal("feature_extractor.window", e.Field);
        Assert.Contains("hann", e.Message, StringComparison.Ordinal);
        json["feature_extractor"]!["window"] = 3;
        Assert.Equal("feature_extractor.window", Refused(json.ToJsonString()).Field);
        json["feature_extractor"]!.AsObject().Remove("window");   // descriptive: a file without it still loads
        Assert.Equal(3, ClassifierModelFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())), "m.json").ClassCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ModelFromBeforeTheNewFeaturesIsRefusedWithRetrainAdvice(int version)
    {
        // Version 1 files (111 features) predate spectral contrast and chroma; version 2 files (139 features) the
        // long-term-spectrum, per-group modulation and context features of version 3.
        var json = ValidJson();
        json["feature_extractor"]!["version"] = version;
        var e = Refused(json.ToJsonString());
        Assert.Equal("feature_extractor.version", e.Field);
        Assert.Contains("retrain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedFeatureCountAndNamesAreRefused()
    {
        var json = ValidJson();
        json["feature_names"]!.AsArray().RemoveAt(0);
        Assert.Contains("features, but the extractor computes", Refused(json.ToJsonString()).Message, StringComparison.Ordinal);
        json = ValidJson();
        json["feature_names"]![3] = "something_else";
        Assert.Equal("feature_names[3]", Refused(json.ToJsonString()).Field);
        json = ValidJson();
        json["normalisation"]!["sd"]![7] = 0;
        Assert.Equal("normalisation.sd[7]", Refused(json.ToJsonString()).Field);
        json = ValidJson();
        json["weights"]![1]![4] = "x";
        Assert.Equal("weights[1][4]", Refused(json.ToJsonString()).Field);
        json = ValidJson();
        json["weights"]![1]![4] = JsonNode.Parse("1e999");
        Assert.Equal("weights[1][4]", Refused(json.ToJsonString()).Field);
    }

    [Fact]
    public void CorruptTruncatedMissingAndHugeFilesAreRefused()
    {
        string text = ValidJson().ToJsonString();
        string corrupt = Refused(text[..(text.Length / 2)]).Message;
        Assert.Contains("not valid JSON (line 1, byte ", corrupt, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", corrupt, StringComparison.Ordinal);   // one position, one-based, not two
        Assert.Contains("top level", Refused("[1,2]").Message, StringComparison.Ordinal);
        var json = ValidJson();
        json.Remove("normalisation");
        Assert.Equal("normalisation", Refused(json.ToJsonString()).Field);
        Assert.Throws<FileNotFoundException>(() => ClassifierModelFile.Load("/nonexistent/model.json"));
        using var huge = new RepeatingStream((int)ClassifierModelFile.MaxFileBytes + 10);
        var e = Assert.Throws<ModelFileException>(() => ClassifierModelFile.Read(huge, "big.json"));
        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream of spaces of a given length (never materialised).</summary>
    private sealed class RepeatingStream(int total) : Stream
    {
        private int _left = total;
        private readonly int _length = total;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _length - _left; set => throw new NotSupportedException(); }
        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _left);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            _left -= n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
