using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>Revoked token ids (<c>revoked.json</c>) imported from signed revocation entries.</summary>
internal sealed class RevocationList
{
    private readonly string _file;
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);

    public RevocationList(string file)
    {
        _file = file;
        Reload();
    }

    public IReadOnlyCollection<string> TokenIds => _revoked;

    public bool Contains(string jti) => _revoked.Contains(jti);

    public void Reload()
    {
        _revoked.Clear();
        if (!File.Exists(_file)) return;
        try
        {
            using var doc = JsonDocument.Parse(StoreFiles.ReadSmall(_file, 16 << 20), new JsonDocumentOptions { AllowDuplicateProperties = false });
            foreach (var e in doc.RootElement.GetProperty("revoked").EnumerateArray())
            {
                string jti = e.GetString() ?? throw new PolicyStoreException(_file, "revoked entry is not a string");
                _revoked.Add(jti);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PolicyStoreException(_file, "revocation list is corrupt", e);
        }
    }

    /// <summary>Adds a token id; returns false when it was already revoked.</summary>
    public bool Add(string jti)
    {
        Reload();
        if (!_revoked.Add(jti)) return false;
        var sorted = new List<string>(_revoked);
        sorted.Sort(StringComparer.Ordinal);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("revoked");
            foreach (string s in sorted) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        StoreFiles.WriteAtomic(_file, ms.ToArray());
        return true;
    }
}
