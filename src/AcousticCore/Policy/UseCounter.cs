using System.Globalization;
using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>
/// Persistent per-token use counts (<c>uses/&lt;sha256(jti)&gt;.json</c>), replaced atomically. An
/// unreadable or mismatched file is a <see cref="PolicyStoreException"/>: the gate then refuses.
/// </summary>
internal sealed class UseCounter
{
    private readonly string _dir;

    private readonly Func<string, int> _recordedUses;

    /// <param name="dir">Folder of counter files.</param>
    /// <param name="recordedUses">Uses the audit log records for a token; consulted when its counter file is missing.</param>
    public UseCounter(string dir, Func<string, int> recordedUses)
    {
        _dir = dir;
        _recordedUses = recordedUses;
    }

    private string FileFor(string jti) => Path.Combine(_dir, StoreFiles.Sha256Hex(jti) + ".json");

    public int Get(string jti)
    {
        string file = FileFor(jti);
        // A missing file is a first use, or a deleted counter: the audit log tells which.
        if (!File.Exists(file)) return _recordedUses(jti);
        try
        {
            using var doc = JsonDocument.Parse(StoreFiles.ReadSmall(file, 1024), new JsonDocumentOptions { AllowDuplicateProperties = false });
            var r = doc.RootElement;
            if (r.GetProperty("jti_sha256").GetString() != StoreFiles.Sha256Hex(jti)) throw new PolicyStoreException(file, "counter belongs to another token");
            int uses = r.GetProperty("uses").GetInt32();
            if (uses < 0) throw new PolicyStoreException(file, "negative use count");
            return uses;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PolicyStoreException(file, "use counter is corrupt", e);
        }
    }

    /// <summary>Records one more use and returns the new count (persisted before the caller proceeds).</summary>
    public int Increment(string jti)
    {
        int next = checked(Get(jti) + 1);
        StoreFiles.CreatePrivateDirectory(_dir);
        StoreFiles.WriteAtomic(FileFor(jti), string.Create(CultureInfo.InvariantCulture,
            $"{{\"jti_sha256\":\"{StoreFiles.Sha256Hex(jti)}\",\"uses\":{next}}}\n"));
        return next;
    }
}
