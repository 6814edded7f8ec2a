using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>
/// Encrypted voiceprints, one folder per grant (<c>voiceprints/&lt;sha256(jti)&gt;/</c>) holding the
/// grant's own AES-256-GCM key, its metadata and one file per subject. When the grant expires or
/// is revoked, the key is overwritten and the whole folder removed, so copies of the ciphertext
/// left elsewhere cannot be decrypted.
/// </summary>
internal sealed class VoiceprintVault
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int MaxVoiceprintBytes = 16 << 20;
    private readonly string _dir;

    public VoiceprintVault(string dir) => _dir = dir;

    public string GrantFolder(string jti) => Path.Combine(_dir, StoreFiles.Sha256Hex(jti));

    public void Store(Grant grant, string subject, ReadOnlySpan<byte> voiceprint)
    {
        string folder = GrantFolder(grant.TokenId);
        StoreFiles.CreatePrivateDirectory(_dir);
        StoreFiles.CreatePrivateDirectory(folder);
        string keyFile = Path.Combine(folder, "grant.key");
        if (!File.Exists(keyFile))
        {
            StoreFiles.WriteAtomic(Path.Combine(folder, "grant.json"), Meta(grant));
            StoreFiles.WriteAtomic(keyFile, RandomNumberGenerator.GetBytes(32));
        }

        byte[] key = StoreFiles.ReadSmall(keyFile, 64);
        var blob = new byte[NonceBytes + TagBytes + voiceprint.Length];
        RandomNumberGenerator.Fill(blob.AsSpan(0, NonceBytes));
        using (var gcm = new AesGcm(key, TagBytes))
        {
            gcm.Encrypt(blob.AsSpan(0, NonceBytes), voiceprint, blob.AsSpan(NonceBytes + TagBytes), blob.AsSpan(NonceBytes, TagBytes), Aad(grant.TokenId, subject));
        }

        CryptographicOperations.ZeroMemory(key);
        StoreFiles.WriteAtomic(Path.Combine(folder, StoreFiles.Sha256Hex(subject) + ".vp"), blob);
    }

    /// <summary>
    /// The newest voiceprint of <paramref name="subject"/> enrolled under any live grant of the same
    /// issuer and case as <paramref name="grant"/>; null when none. Only the named subject's file is opened.
    /// </summary>
    public byte[]? Load(Grant grant, string subject)
    {
        if (!Directory.Exists(_dir)) return null;
        string fileName = StoreFiles.Sha256Hex(subject) + ".vp";
        string? best = null;
        string? bestJti = null;
        DateTime bestTime = DateTime.MinValue;
        foreach (string folder in Directory.EnumerateDirectories(_dir))
        {
            string file = Path.Combine(folder, fileName);
            if (!File.Exists(file)) continue;
            var meta = ReadMeta(folder);
            if (meta is null || meta.Value.Issuer != grant.Issuer || meta.Value.Case != grant.CaseReference) continue;
            DateTime t = File.GetLastWriteTimeUtc(file);
            if (best is null || t > bestTime)
            {
                best = file;
                bestJti = meta.Value.Jti;
                bestTime = t;
            }
        }

        if (best is null) return null;
        byte[] blob = StoreFiles.ReadSmall(best, MaxVoiceprintBytes);
        byte[] key = StoreFiles.ReadSmall(Path.Combine(Path.GetDirectoryName(best)!, "grant.key"), 64);
        try
        {
            if (blob.Length < NonceBytes + TagBytes) throw new PolicyStoreException(best, "voiceprint file is too short");
            var plain = new byte[blob.Length - NonceBytes - TagBytes];
            using var gcm = new AesGcm(key, TagBytes);
            gcm.Decrypt(blob.AsSpan(0, NonceBytes), blob.AsSpan(NonceBytes + TagBytes), blob.AsSpan(NonceBytes, TagBytes), plain, Aad(bestJti!, subject));
            return plain;
        }
        catch (CryptographicException e)
        {
            throw new PolicyStoreException(best, "voiceprint does not decrypt (tampered or wrong key)", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Removes every grant folder whose grant has ended; returns (jti, subjects, voiceprint files) of each removed.</summary>
    public List<(string? Jti, string? Case, IReadOnlyList<string> Subjects, int Files)> Sweep(DateTimeOffset now, Func<string, bool> isRevoked)
    {
        var removed = new List<(string?, string?, IReadOnlyList<string>, int)>();
        if (!Directory.Exists(_dir)) return removed;
        foreach (string folder in Directory.EnumerateDirectories(_dir))
        {
            var meta = ReadMeta(folder);
            // Unreadable metadata cannot prove the data is still authorised: delete it.
            bool ended = meta is null || now.ToUnixTimeSeconds() >= meta.Value.Expires || isRevoked(meta.Value.Jti);
            if (!ended) continue;
            int files = Destroy(folder);
            removed.Add((meta?.Jti, meta?.Case, meta?.Subjects ?? [], files));
        }

        return removed;
    }

    private static int Destroy(string folder)
    {
        // The key goes first: once it is overwritten the ciphertexts are unreadable wherever they are.
        StoreFiles.Shred(Path.Combine(folder, "grant.key"));
        int count = 0;
        foreach (string f in Directory.EnumerateFiles(folder))
        {
            if (f.EndsWith(".vp", StringComparison.Ordinal)) count++;
            StoreFiles.Shred(f);
        }

        Directory.Delete(folder, recursive: true);
        return count;
    }

    private static byte[] Aad(string jti, string subject) => Encoding.UTF8.GetBytes("acoustic-voiceprint|" + jti + "|" + subject);

    private static string Meta(Grant g)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("jti", g.TokenId);
            w.WriteString("issuer", g.Issuer);
            w.WriteString("case", g.CaseReference);
            w.WriteNumber("exp", g.Expires.ToUnixTimeSeconds());
            w.WriteStartArray("subjects");
            foreach (var s in g.Subjects) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static (string Jti, string Issuer, string Case, long Expires, IReadOnlyList<string> Subjects)? ReadMeta(string folder)
    {
        string file = Path.Combine(folder, "grant.json");
        try
        {
            using var doc = JsonDocument.Parse(StoreFiles.ReadSmall(file, 65536));
            var r = doc.RootElement;
            var subjects = new List<string>();
            foreach (var s in r.GetProperty("subjects").EnumerateArray()) subjects.Add(s.GetString() ?? "");
            string jti = r.GetProperty("jti").GetString() ?? "";
            if (StoreFiles.Sha256Hex(jti) != Path.GetFileName(folder)) return null;
            return (jti, r.GetProperty("issuer").GetString() ?? "", r.GetProperty("case").GetString() ?? "", r.GetProperty("exp").GetInt64(), subjects);
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or PolicyStoreException)
        {
            return null;
        }
    }
}
