using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>Names shared by issuer and verifier: token types, the pinned algorithm, claim names.</summary>
internal static class Jose
{
    /// <summary>The only signature algorithm: ECDSA P-256 with SHA-256 (RFC 7518 §3.4).</summary>
    public const string Es256 = "ES256";
    public const string GrantType = "acoustic-grant+jwt";
    public const string RevocationType = "acoustic-revocation+jwt";

    /// <summary>RFC 7638 JWK thumbprint (base64url SHA-256) of a P-256 public key; used as <c>kid</c>.</summary>
    public static string KeyId(ECDsa key)
    {
        ECParameters p = key.ExportParameters(includePrivateParameters: false);
        if (p.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("Only P-256 keys are supported.", nameof(key));
        }

        // Members in lexicographic order, no whitespace, as RFC 7638 §3 requires.
        string canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + Base64Url.EncodeToString(p.Q.X) +
                           "\",\"y\":\"" + Base64Url.EncodeToString(p.Q.Y) + "\"}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Imports a PEM public key (SubjectPublicKeyInfo), refusing anything but P-256.</summary>
    public static ECDsa ImportPublicP256(string pem, string source)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            ECParameters p = key.ExportParameters(false);
            if (p.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new PolicyStoreException(source, "key is not an ECDSA P-256 key (ES256 is the only algorithm)");
            }

            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new PolicyStoreException(source, $"not a PEM ECDSA P-256 public key ({e.Message})", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}

/// <summary>
/// A compact JWS split and decoded strictly (three base64url parts, JSON objects without duplicate
/// members). Only used to read header and claims; the signature is checked by the IdentityModel
/// library with the algorithm pinned to the trusted key.
/// </summary>
internal sealed class CompactJws : IDisposable
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 8 };

    private CompactJws(JsonDocument header, JsonDocument payload)
    {
        HeaderDocument = header;
        PayloadDocument = payload;
    }

    public JsonDocument HeaderDocument { get; }
    public JsonDocument PayloadDocument { get; }
    public JsonElement Header => HeaderDocument.RootElement;
    public JsonElement Payload => PayloadDocument.RootElement;

    /// <summary>Parses, or returns null with a reason in <paramref name="problem"/>.</summary>
    public static CompactJws? TryParse(string token, out string problem)
    {
        int first = token.IndexOf('.', StringComparison.Ordinal);
        int second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first < 0 || second < 0 || token.IndexOf('.', second + 1) >= 0)
        {
            problem = "not a compact JWS (expected three dot-separated parts)";
            return null;
        }

        JsonDocument? header = Decode(token.AsSpan(0, first), "header", out problem);
        if (header is null) return null;
        JsonDocument? payload = Decode(token.AsSpan(first + 1, second - first - 1), "payload", out problem);
        if (payload is null)
        {
            header.Dispose();
            return null;
        }

        if (!Base64Url.IsValid(token.AsSpan(second + 1)))
        {
            problem = "signature part is not base64url";
            header.Dispose();
            payload.Dispose();
            return null;
        }

        problem = "";
        return new CompactJws(header, payload);
    }

    private static JsonDocument? Decode(ReadOnlySpan<char> part, string name, out string problem)
    {
        if (part.IsEmpty || !Base64Url.IsValid(part))
        {
            problem = $"{name} is not base64url";
            return null;
        }

        byte[] bytes = Base64Url.DecodeFromChars(part);
        try
        {
            var doc = JsonDocument.Parse(bytes, Strict);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                problem = $"{name} is not a JSON object";
                return null;
            }

            problem = "";
            return doc;
        }
        catch (JsonException e)
        {
            problem = $"{name} is not valid JSON ({e.Message})";
            return null;
        }
    }

    /// <summary>A string member of the header, or null when absent or not a string.</summary>
    public string? HeaderString(string name) =>
        Header.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A string member of the payload, or null when absent or not a string.</summary>
    public string? PayloadString(string name) =>
        Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An integer member of the payload (NumericDate), or null.</summary>
    public long? PayloadInteger(string name) =>
        Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : null;

    public void Dispose()
    {
        HeaderDocument.Dispose();
        PayloadDocument.Dispose();
    }
}
