namespace GenCdr.Serving;

/// <summary>
/// Told by <see cref="BatchingRecommender"/> about each decode (the server turns it into metrics). Called on the
/// worker thread after the decode and before the batch's callers get their answers, so a caller that has its answer
/// finds its batch already counted; the worker waits for the observer, which must therefore be quick.
/// </summary>
public interface IBatchObserver
{
    /// <param name="requests">the requests decoded together (cancelled ones already dropped)</param>
    /// <param name="elapsed">how long the decode call took</param>
    void BatchDecoded(int requests, TimeSpan elapsed);
}
