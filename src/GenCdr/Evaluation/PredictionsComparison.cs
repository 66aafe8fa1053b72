namespace GenCdr.Evaluation;

/// <summary>One model's test (or validation) rankings from a predictions.tsv: per (user, domain), the ranked item ids and
/// the held-out item.</summary>
public sealed record PredictionSet(string Source, string Model, IReadOnlyDictionary<(string User, string Domain), (string[] Ranked, string HeldOut)> Rows);

/// <summary>The difference of two prediction sets on one domain, over the users both ranked.</summary>
public sealed record DomainComparison(string Domain, PairedDifference Recall, PairedDifference Ndcg, double RecallA, double RecallB);

/// <summary>
/// Compares two runs (or two models of one run) from their predictions.tsv files (<see cref="PredictionsWriter"/>): per
/// domain, the difference of Recall@K and NDCG@K with the paired 95 % bootstrap interval over the users both ranked
/// (<see cref="PairedBootstrap"/>), so that "run B is better than run A" is a claim only when the interval excludes 0.
/// Both runs must have been evaluated on the same data set and split; a user in only one of them is left out and counted.
/// </summary>
public static class PredictionsComparison
{
    /// <summary>The rows of <paramref name="model"/> (default: the file's first model) and <paramref name="split"/>.</summary>
    public static PredictionSet Read(string path, string? model = null, string split = "test")
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: not found (a run folder's predictions.tsv)");
        var rows = new Dictionary<(string, string), (string[], string)>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (number == 1)
            {
                if (line != PredictionsWriter.Header) throw GenCdrException.AtLine(path, 1, $"not a predictions file (expected the header '{PredictionsWriter.Header}')");
                continue;
            }
            var f = line.Split('\t');
            if (f.Length != 6) throw GenCdrException.AtLine(path, number, $"expected 6 tab-separated fields, found {f.Length}");
            model ??= f[0];
            if (f[0] != model || f[3] != split) continue;
            if (!rows.TryAdd((f[1], f[2]), (f[4].Length == 0 ? [] : f[4].Split(','), f[5])))
                throw GenCdrException.AtLine(path, number, $"user '{f[1]}' appears twice for {model} in domain '{f[2]}'");
        }
        if (model is null || rows.Count == 0)
            throw new GenCdrException($"{path}: no {split} rows{(model is null ? "" : $" for model '{model}'")}");
        return new PredictionSet(path, model, rows);
    }

    /// <summary>B − A per domain (in the order the domains first appear in A), on the users both ranked.</summary>
    public static IReadOnlyList<DomainComparison> Compare(PredictionSet a, PredictionSet b, int k, out int unpaired)
    {
        unpaired = a.Rows.Keys.Count(key => !b.Rows.ContainsKey(key)) + b.Rows.Keys.Count(key => !a.Rows.ContainsKey(key));
        var result = new List<DomainComparison>();
        foreach (var domain in a.Rows.Keys.Select(key => key.Domain).Distinct())
        {
            var keys = a.Rows.Keys.Where(key => key.Domain == domain && b.Rows.ContainsKey(key)).OrderBy(key => key.User, StringComparer.Ordinal).ToList();
            foreach (var key in keys)
                if (a.Rows[key].HeldOut != b.Rows[key].HeldOut)
                    throw new GenCdrException($"{a.Source} and {b.Source} hold out different items for user '{key.User}' in '{domain}': not the same data set and split");
            double[] Hits(PredictionSet s, bool ndcg) => keys.Select(key =>
            {
                var (ranked, heldOut) = s.Rows[key];
                int rank = Array.IndexOf(ranked, heldOut);
                return rank < 0 || rank >= k ? 0.0 : ndcg ? 1.0 / Math.Log2(rank + 2) : 1.0;
            }).ToArray();
            var (recallA, recallB) = (Hits(a, false), Hits(b, false));
            result.Add(new DomainComparison(domain, PairedBootstrap.Interval(recallB, recallA), PairedBootstrap.Interval(Hits(b, true), Hits(a, true)),
                recallA.DefaultIfEmpty().Average(), recallB.DefaultIfEmpty().Average()));
        }
        return result;
    }
}
