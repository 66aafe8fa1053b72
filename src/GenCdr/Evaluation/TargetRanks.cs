using System.Globalization;
using System.Text;
using GenCdr.Data;

namespace GenCdr.Evaluation;

/// <summary>
/// Where each evaluated query's held-out item landed in a model's list: (user, domain) → its 0-based rank in the top K,
/// or −1. Enough to recompute Recall@K and NDCG@K for every K up to the list length per user, so that two models
/// evaluated on the same users can be compared pairwise (<see cref="PairedBootstrap"/>). Written next to each bench
/// model's result as a small TSV.
/// </summary>
public sealed class TargetRanks
{
    public const string FileName = "test-ranks.tsv";
    const string Header = "user\tdomain\trank";

    readonly Dictionary<(int User, int Domain), int> _ranks;

    public TargetRanks(Dictionary<(int User, int Domain), int> ranks) { _ranks = ranks; }

    public int Count => _ranks.Count;

    /// <summary>The ranks of an evaluation's queries (the ranked lists are kept by <see cref="Evaluator"/>).</summary>
    public static TargetRanks Of(EvaluationResult result) => new(result.Rankings.ToDictionary(
        r => (r.Target.User, r.Target.Domain), r => RankingMetrics.RankOf(r.Ranked, r.TargetItem, r.Ranked.Length)));

    /// <summary>A metric ("Recall@10", "NDCG@5") of every user of <paramref name="domain"/> present in both, aligned:
    /// the users are those of this and <paramref name="other"/>, in user order.</summary>
    /// <param name="include">keeps only the users it accepts (default: every user)</param>
    public (double[] Mine, double[] Theirs) Paired(TargetRanks other, int domain, string metric, Func<int, bool>? include = null)
    {
        var users = SharedUsers(other, domain, include);
        return (Values(users, domain, metric), other.Values(users, domain, metric));
    }

    /// <summary>A metric ("Recall@10", "NDCG@5") of each of <paramref name="users"/> in <paramref name="domain"/>, in
    /// their order (each must have a rank there: see <see cref="SharedUsers"/>).</summary>
    public double[] Values(IReadOnlyList<int> users, int domain, string metric)
    {
        var (isRecall, k) = Parse(metric);
        double Value(int rank) => rank < 0 || rank >= k ? 0 : isRecall ? 1 : 1 / Math.Log2(rank + 2);
        return users.Select(u => Value(_ranks[(u, domain)])).ToArray();
    }

    /// <summary>The users of <paramref name="domain"/> evaluated by this and <paramref name="other"/> (and accepted by
    /// <paramref name="include"/>), in user order: the rows of <see cref="Paired"/>.</summary>
    public int[] SharedUsers(TargetRanks other, int domain, Func<int, bool>? include = null) =>
        _ranks.Keys.Where(key => key.Domain == domain && other._ranks.ContainsKey(key) && (include?.Invoke(key.User) ?? true))
            .Select(key => key.User).Order().ToArray();

    static (bool Recall, int K) Parse(string metric)
    {
        var parts = metric.Split('@');
        if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int k) || k < 1 ||
            parts[0] is not ("Recall" or "NDCG"))
            throw new ArgumentException($"'{metric}' is not Recall@K or NDCG@K");
        return (parts[0] == "Recall", k);
    }

    public void Save(string path)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var ((user, domain), rank) in _ranks.OrderBy(kv => kv.Key.Domain).ThenBy(kv => kv.Key.User))
            text.Append(CultureInfo.InvariantCulture, $"{user}\t{domain}\t{rank}\n");
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>The ranks at <paramref name="path"/>, or null when the file does not exist (a model cached before
    /// ranks were kept).</summary>
    public static TargetRanks? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        var ranks = new Dictionary<(int, int), int>();
        int line = 0;
        foreach (var row in File.ReadLines(path))
        {
            if (++line == 1) { if (row != Header) throw GenCdrException.AtLine(path, 1, $"expected the header '{Header}'"); continue; }
            var f = row.Split('\t');
            if (f.Length != 3 || !int.TryParse(f[0], CultureInfo.InvariantCulture, out int u) ||
                !int.TryParse(f[1], CultureInfo.InvariantCulture, out int d) || !int.TryParse(f[2], CultureInfo.InvariantCulture, out int r))
                throw GenCdrException.AtLine(path, line, "expected user, domain and rank as integers");
            ranks[(u, d)] = r;
        }
        return new TargetRanks(ranks);
    }
}
