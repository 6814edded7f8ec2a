using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AcousticCore.Identification;

/// <summary>
/// A speaker model as stored by the policy layer: the MAP-adapted component means of the background
/// model it was adapted from. Weights and variances are the background model's, so they are not stored.
/// </summary>
/// <remarks>
/// Binary form (little-endian, 48 + 4·K·D bytes): "ACVP", uint16 version = 1, uint16 K, uint16 D,
/// uint16 reserved = 0, 32-byte SHA-256 of the background model file, K·D float32 adapted means,
/// then the 32-byte SHA-256 of everything before it. A voiceprint is
/// only valid with the exact background model it names.
/// </remarks>
internal static class Voiceprint
{
    private const ushort Version = 1;
    private const int HeaderLength = 4 + 2 + 2 + 2 + 2 + 32;
    private static ReadOnlySpan<byte> Magic => "ACVP"u8;

    public static int SerializedLength(int components, int dimension) => HeaderLength + 4 * components * dimension + SHA256.HashSizeInBytes;

    public static byte[] Serialize(ReadOnlySpan<byte> modelHash, int components, int dimension, ReadOnlySpan<float> adaptedMeans)
    {
        if (modelHash.Length != 32) throw new ArgumentException("Model hash must be 32 bytes.", nameof(modelHash));
        if (adaptedMeans.Length != components * dimension) throw new ArgumentException("Means are not K·D values.", nameof(adaptedMeans));
        var bytes = new byte[SerializedLength(components, dimension)];
        Span<byte> s = bytes;
        Magic.CopyTo(s);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], checked((ushort)components));
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], checked((ushort)dimension));
        BinaryPrimitives.WriteUInt16LittleEndian(s[10..], 0);
        modelHash.CopyTo(s[12..]);
        int p = HeaderLength;
        foreach (float v in adaptedMeans)
        {
            BinaryPrimitives.WriteSingleLittleEndian(s[p..], v);
            p += 4;
        }

        SHA256.HashData(s[..p], s[p..]);
        return bytes;
    }

    /// <summary>Validates a voiceprint against the model it must belong to and copies out the adapted means.</summary>
    /// <exception cref="ArgumentException">Wrong size, signature, version, shape, model, checksum or a non-finite mean.</exception>
    public static void Parse(ReadOnlySpan<byte> voiceprint, ReadOnlySpan<byte> modelHash, int components, int dimension, Span<float> adaptedMeans)
    {
        int expected = SerializedLength(components, dimension);
        if (voiceprint.Length != expected) throw new ArgumentException($"Voiceprint is {voiceprint.Length} voiceprint; this model's voiceprints are {expected}.", nameof(voiceprint));
        if (!voiceprint[..4].SequenceEqual(Magic)) throw new ArgumentException("Voiceprint does not start with the ACVP signature.", nameof(voiceprint));
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(voiceprint[4..]);
        if (version != Version) throw new ArgumentException($"Voiceprint version {version} is not supported (expected {Version}).", nameof(voiceprint));
        int bodyLength = voiceprint.Length - SHA256.HashSizeInBytes;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(voiceprint[..bodyLength], hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, voiceprint[bodyLength..])) throw new ArgumentException("Voiceprint checksum does not match its contents.", nameof(voiceprint));
        if (BinaryPrimitives.ReadUInt16LittleEndian(voiceprint[6..]) != components || BinaryPrimitives.ReadUInt16LittleEndian(voiceprint[8..]) != dimension
            || BinaryPrimitives.ReadUInt16LittleEndian(voiceprint[10..]) != 0)
        {
            throw new ArgumentException("Voiceprint shape does not match the background model.", nameof(voiceprint));
        }

        if (!voiceprint.Slice(12, 32).SequenceEqual(modelHash)) throw new ArgumentException("Voiceprint was made with a different background model.", nameof(voiceprint));
        int p = HeaderLength;
        for (int i = 0; i < components * dimension; i++)
        {
            float v = BinaryPrimitives.ReadSingleLittleEndian(voiceprint[p..]);
            if (!float.IsFinite(v)) throw new ArgumentException($"Voiceprint mean {i} is not finite.", nameof(voiceprint));
            adaptedMeans[i] = v;
            p += 4;
        }
    }
}
