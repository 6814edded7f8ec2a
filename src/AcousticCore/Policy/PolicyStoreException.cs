namespace AcousticCore.Policy;

/// <summary>
/// A sensor-store file (policy, trust entry, counter, key, audit head) is missing, unreadable or
/// inconsistent. The gate turns this into a <c>store_corrupt</c> refusal: it fails closed.
/// </summary>
public sealed class PolicyStoreException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a file or directory) and a problem.</summary>
    public PolicyStoreException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        StoreItem = source;
        Problem = problem;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public PolicyStoreException() : this("store", "unspecified problem")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public PolicyStoreException(string message) : this("store", message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public PolicyStoreException(string message, Exception inner) : this("store", message, inner)
    {
    }

    /// <summary>The file or directory at fault.</summary>
    public string StoreItem { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
