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

    public UseCounter(string dir) => _dir = dir;

    private string FileFor(string jti) => Path.Combine(_dir, StoreFiles.Sha256Hex(jti) + ".json");

    public int Get(string jti)
    {
        string file = FileFor(jti);
        if (!File.Exists(file)) return 0;
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
