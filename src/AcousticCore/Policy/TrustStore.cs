using System.Security.Cryptography;
using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>A public key the sensor trusts to sign grants and revocations.</summary>
public sealed class TrustedKey
{
    internal TrustedKey(string keyId, string issuer, string algorithm, DateTimeOffset addedUtc, string publicKeyPem)
    {
        KeyId = keyId;
        Issuer = issuer;
        Algorithm = algorithm;
        AddedUtc = addedUtc;
        PublicKeyPem = publicKeyPem;
    }

    /// <summary>RFC 7638 thumbprint of the key; tokens name it in their <c>kid</c> header.</summary>
    public string KeyId { get; }

    /// <summary>The authority name tokens signed by this key must carry in <c>iss</c>.</summary>
    public string Issuer { get; }

    /// <summary>The pinned signature algorithm (always <c>ES256</c>).</summary>
    public string Algorithm { get; }

    /// <summary>When the key was added to the store.</summary>
    public DateTimeOffset AddedUtc { get; }

    /// <summary>The public key, PEM (SubjectPublicKeyInfo).</summary>
    public string PublicKeyPem { get; }
}

/// <summary>The <c>trust/</c> folder of a sensor store: one JSON file per trusted authority key.</summary>
internal sealed class TrustStore
{
    private readonly string _dir;

    public TrustStore(string dir) => _dir = dir;

    /// <summary>Loads every entry, checking that each file's key matches its stated key id.</summary>
    public IReadOnlyList<TrustedKey> Load()
    {
        var list = new List<TrustedKey>();
        if (!Directory.Exists(_dir)) return list;
        foreach (string file in Directory.EnumerateFiles(_dir, "*.json"))
        {
            list.Add(ReadEntry(file));
        }

        list.Sort((a, b) => string.CompareOrdinal(a.KeyId, b.KeyId));
        return list;
    }

    public TrustedKey Add(string publicKeyPem, string issuer, DateTimeOffset now)
    {
        ValidateIssuer(issuer);
        using ECDsa key = Jose.ImportPublicP256(publicKeyPem, "public key");
        string kid = Jose.KeyId(key);
        string pem = key.ExportSubjectPublicKeyInfoPem();
        var entry = new TrustedKey(kid, issuer, Jose.Es256, now, pem);
        StoreFiles.CreatePrivateDirectory(_dir);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("kid", kid);
            w.WriteString("issuer", issuer);
            w.WriteString("alg", Jose.Es256);
            w.WriteString("added_utc", now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("public_key_pem", pem);
            w.WriteEndObject();
        }

        StoreFiles.WriteAtomic(Path.Combine(_dir, kid + ".json"), ms.ToArray());
        return entry;
    }

    internal static void ValidateIssuer(string issuer)
    {
        if (string.IsNullOrWhiteSpace(issuer) || issuer.Length > 256)
        {
            throw new ArgumentException("Issuer name must be 1..256 characters.", nameof(issuer));
        }

        foreach (char c in issuer)
        {
            if (char.IsControl(c)) throw new ArgumentException("Issuer name must not contain control characters.", nameof(issuer));
        }
    }

    private static TrustedKey ReadEntry(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(StoreFiles.ReadSmall(file, 16384), new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = doc.RootElement;
            string kid = root.GetProperty("kid").GetString() ?? "";
            string issuer = root.GetProperty("issuer").GetString() ?? "";
            string alg = root.GetProperty("alg").GetString() ?? "";
            string pem = root.GetProperty("public_key_pem").GetString() ?? "";
            var added = DateTimeOffset.Parse(root.GetProperty("added_utc").GetString() ?? "", System.Globalization.CultureInfo.InvariantCulture);
            if (alg != Jose.Es256) throw new PolicyStoreException(file, $"algorithm '{alg}' is not supported (only ES256)");
            using ECDsa key = Jose.ImportPublicP256(pem, file);
            if (Jose.KeyId(key) != kid || Path.GetFileNameWithoutExtension(file) != kid)
            {
                throw new PolicyStoreException(file, "key id does not match the key (entry edited?)");
            }

            return new TrustedKey(kid, issuer, alg, added, pem);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PolicyStoreException(file, $"trust entry is malformed ({e.Message})", e);
        }
    }
}
