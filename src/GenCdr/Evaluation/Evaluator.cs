using System.Diagnostics;
using GenCdr.Data;

namespace GenCdr.Evaluation;

/// <summary>
/// Evaluates any <see cref="IRecommender"/> with the paper's protocol (§4.1): for each user and domain, the
/// held-out event of the split is predicted from everything before it in the merged cross-domain history;
/// the model ranks all items of the target domain; Recall@K and NDCG@K are averaged per domain.
/// </summary>
public static class Evaluator
{
    /// <summary>The protocol in words, written into the results JSON.</summary>
    public const string Protocol =
        "Leave-last-out per user and domain: the last event of a domain is the test target, the second last the " +
        "validation target. Users with fewer than 3 events in a domain are not evaluated in that domain. " +
        "The history given to the model is every event of the user's merged, time-ordered cross-domain history " +
        "before the target. Full ranking over all items of the target domain (no negative sampling, items seen " +
        "before are not removed). Recall@K = hit rate of the single held-out item in the top K; " +
        "NDCG@K = 1/log2(rank+2) for its 0-based rank in the top K, 0 if absent. The model's list order is " +
        "the ranking; score-based models break ties by lower item index.";

    /// <param name="users">the users whose held-out events are evaluated, before the sample of
    /// <see cref="EvaluationOptions.MaxQueries"/> is drawn (default all)</param>
    public static EvaluationResult Evaluate(IRecommender model, PreparedDataset data, Split split,
        EvaluationOptions? options = null, IProgress<double>? progress = null, UserHalf users = UserHalf.All)
    {
        options ??= new EvaluationOptions();
        options.Validate();
        int maxK = options.Ks.Max();
        var (domains, targetsByDomain, chosen) = Targets(data, split, options, users);
        int total = chosen.Values.Sum(c => c.Length), done = 0;

        var watch = Stopwatch.StartNew();
        var rankings = new List<QueryRanking>(total);
        var perDomain = new List<DomainEvaluation>();
        foreach (int d in domains)
        {
            var targets = chosen[d];
            var sums = new double[2 * options.Ks.Count];
            for (int start = 0; start < targets.Length; start += options.BatchSize)
            {
                var batch = targets.AsSpan(start, Math.Min(options.BatchSize, targets.Length - start)).ToArray();
                var queries = batch.Select(t => new RecommendationQuery(t.User, data.HistoryBefore(t), d)).ToArray();
                var lists = model.Recommend(queries, maxK);
                Check(model, data, d, queries.Length, lists, maxK);
                for (int q = 0; q < batch.Length; q++)
                {
                    int target = data.TargetItem(batch[q]);
                    for (int j = 0; j < options.Ks.Count; j++)
                    {
                        sums[2 * j] += RankingMetrics.RecallAtK(lists[q], target, options.Ks[j]);
                        sums[2 * j + 1] += RankingMetrics.NdcgAtK(lists[q], target, options.Ks[j]);
                    }
                    rankings.Add(new QueryRanking(batch[q], target, lists[q]));
                }
                done += batch.Length;
                progress?.Report(total == 0 ? 1.0 : (double)done / total);
            }
            var metrics = new Dictionary<string, double>();
            for (int j = 0; j < options.Ks.Count; j++)
            {
                metrics[RankingMetrics.RecallName(options.Ks[j])] = targets.Length == 0 ? 0 : sums[2 * j] / targets.Length;
                metrics[RankingMetrics.NdcgName(options.Ks[j])] = targets.Length == 0 ? 0 : sums[2 * j + 1] / targets.Length;
            }
            perDomain.Add(new DomainEvaluation(data.DomainNames[d], targets.Length, targetsByDomain[d].Length, metrics));
        }
        if (total == 0) progress?.Report(1.0);
        double seconds = watch.Elapsed.TotalSeconds;
        return new EvaluationResult(model.Name, split, perDomain, seconds, seconds > 0 ? total / seconds : 0)
        {
            Rankings = rankings,
        };
    }

    /// <summary>
    /// The mean log-probability the model gives each sampled query's held-out item, log P(target | history, d), and
    /// Recall@<paramref name="k"/> from the same pass (the item's rank below k), each averaged per domain and then over
    /// the domains, on the same users as <see cref="Evaluate"/> with the same options (whose Recall@k it equals, a domain
    /// without held-out items counting 0 as there). The log-likelihood is a proper scoring rule over the whole
    /// distribution: it moves with any change of the probabilities, where Recall@10 on a sample moves only when a target
    /// crosses rank 10 (the user-router stage is selected on it, <see cref="Recommender.StagePlan"/>).
    /// </summary>
    public static LikelihoodEvaluation EvaluateLikelihood(ITargetLikelihood model, PreparedDataset data, Split split,
        EvaluationOptions? options = null, int k = 10, UserHalf users = UserHalf.All)
    {
        options ??= new EvaluationOptions();
        options.Validate();
        var (domains, _, chosen) = Targets(data, split, options, users);
        var logLikelihoods = new List<double>();
        var recalls = new List<double>();
        foreach (int d in domains)
        {
            if (chosen[d].Length == 0) { recalls.Add(0); continue; }
            var queries = chosen[d].Select(t => new RecommendationQuery(t.User, data.HistoryBefore(t), d)).ToList();
            var scores = model.ScoreTargets(queries, chosen[d].Select(data.TargetItem).ToList());
            logLikelihoods.Add(scores.Average(s => s.LogProbability));
            recalls.Add(scores.Average(s => s.Rank < k ? 1.0 : 0.0));
        }
        return new LikelihoodEvaluation(logLikelihoods.Count == 0 ? double.NaN : logLikelihoods.Average(),
            recalls.Count == 0 ? 0 : recalls.Average(), k);
    }

    /// <summary>The evaluated domains, every held-out event of the split per domain, and the ones evaluated (all, or the
    /// fixed sample of <see cref="EvaluationOptions.MaxQueries"/>).</summary>
    static (int[] Domains, Dictionary<int, HeldOut[]> All, Dictionary<int, HeldOut[]> Chosen) Targets(PreparedDataset data, Split split,
        EvaluationOptions options, UserHalf users)
    {
        var domains = options.Domains?.Select(data.DomainIndex).Distinct().ToArray()
                      ?? Enumerable.Range(0, data.DomainCount).ToArray();
        var heldOut = data.HeldOutOf(split);
        var all = domains.ToDictionary(d => d, d => heldOut.Where(h => h.Domain == d && InHalf(h.User, users)).ToArray());
        var chosen = all.ToDictionary(kv => kv.Key, kv => Sample(kv.Value, options.MaxQueries, options.SampleSeed + kv.Key));
        return (domains, all, chosen);
    }

    /// <summary>Whether user <paramref name="user"/> is in <paramref name="half"/>.</summary>
    public static bool InHalf(int user, UserHalf half) => half switch
    {
        UserHalf.Even => user % 2 == 0,
        UserHalf.Odd => user % 2 == 1,
        _ => true,
    };

    /// <summary>At most <paramref name="max"/> of <paramref name="targets"/>, a fixed random subset in their order (all when null).</summary>
    public static HeldOut[] Sample(HeldOut[] targets, int? max, int seed)
    {
        if (max is null || targets.Length <= max) return targets;
        var order = Enumerable.Range(0, targets.Length).ToArray();
        new Random(seed).Shuffle(order); // Random.Shuffle: Fisher–Yates, deterministic for a seed
        var keep = order.Take(max.Value).Order().ToArray();
        return Array.ConvertAll(keep, i => targets[i]);
    }

    /// <summary>Catches a model that breaks the <see cref="IRecommender"/> contract, which would silently
    /// corrupt the metrics.</summary>
    static void Check(IRecommender model, PreparedDataset data, int domain, int queryCount, IReadOnlyList<int[]> lists, int k)
    {
        if (lists.Count != queryCount)
            throw new InvalidOperationException($"{model.Name} returned {lists.Count} lists for {queryCount} queries");
        int itemCount = data.Items[domain].Count;
        foreach (var list in lists)
        {
            if (list.Length > k) throw new InvalidOperationException($"{model.Name} returned {list.Length} items for k = {k}");
            for (int i = 0; i < list.Length; i++)
            {
                if ((uint)list[i] >= (uint)itemCount)
                    throw new InvalidOperationException($"{model.Name} returned item {list[i]}, not an item of domain {data.DomainNames[domain]}");
                if (Array.IndexOf(list, list[i], 0, i) >= 0)
                    throw new InvalidOperationException($"{model.Name} returned item {list[i]} twice in one list");
            }
        }
    }
}

/// <summary>The mean log-likelihood of the held-out items and Recall@<see cref="K"/>, both averaged per domain and then
/// over the domains (<see cref="Evaluator.EvaluateLikelihood"/>).</summary>
public readonly record struct LikelihoodEvaluation(double LogLikelihood, double Recall, int K);
