using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Evaluation;

/// <summary>A hand-made two-domain data set small enough to check every number by hand.</summary>
public static class TinyData
{
    /// <summary>
    /// Domain "a" has items A0..A4, domain "b" items B0..B3. Held-out positions (val / test):
    /// u0: a → 3 / 5, b → 4 / 6; u1: a → 1 / 3 (one b event: not evaluated in b); u2: two b events, never
    /// evaluated; u3: a → 1 / 2, b → 4 / 5.
    /// </summary>
    public static PreparedDataset Create()
    {
        var a = Enumerable.Range(0, 5).Select(i => new Item($"A{i}", "a", ItemText.Empty)).ToArray();
        var b = Enumerable.Range(0, 4).Select(i => new Item($"B{i}", "b", ItemText.Empty)).ToArray();
        Event A(int i, long t) => new(0, i, t);
        Event B(int i, long t) => new(1, i, t);
        var histories = new[]
        {
            new[] { A(1, 10), B(0, 11), A(2, 12), A(3, 13), B(1, 14), A(4, 15), B(2, 16) },
            new[] { A(0, 20), A(1, 21), B(3, 22), A(2, 23) },
            new[] { B(0, 30), B(1, 31) },
            new[] { A(4, 40), A(4, 41), A(0, 42), B(3, 43), B(3, 44), B(2, 45) },
        };
        return new PreparedDataset("tiny", ["a", "b"], [a, b], ["u0", "u1", "u2", "u3"], histories);
    }

    /// <summary>Random histories of <paramref name="users"/> users, 8 events each over two domains "a" and "b" of 20
    /// items (domain and item drawn uniformly): most held-out transitions then occur nowhere in training.</summary>
    public static PreparedDataset RandomHistories(int users = 30, int seed = 8)
    {
        Item[] Items(string domain) => Enumerable.Range(0, 20).Select(i => new Item($"{domain}{i}", domain, ItemText.Empty)).ToArray();
        var rng = new Random(seed);
        var histories = Enumerable.Range(0, users).Select(_ => Enumerable.Range(0, 8).Select(j => new Event(rng.Next(2), rng.Next(20), j)).ToArray()).ToArray();
        return new PreparedDataset("random", ["a", "b"], [Items("a"), Items("b")], Enumerable.Range(0, users).Select(u => $"u{u}").ToArray(), histories);
    }
}

/// <summary>
/// A recommender that knows the answer, for testing the evaluator. It checks, for every query, that the
/// history it is given is exactly the user's events before the held-out one (so never the target or
/// anything later), then ranks with the given function of (target item, item count of the domain).
/// </summary>
public sealed class FakeRecommender(PreparedDataset data, Split split, Func<int, int, int[]> rank) : IRecommender
{
    public string Name => "Fake";
    public List<int> BatchSizes { get; } = [];

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k)
    {
        BatchSizes.Add(queries.Count);
        return queries.Select(q =>
        {
            var target = data.HeldOutOf(split).Single(h => h.User == q.User && h.Domain == q.TargetDomain);
            Assert.Equal(target.Position, q.History.Count);
            Assert.Equal(data.Histories[q.User].Take(target.Position), q.History);
            Assert.All(q.History, e => Assert.True(e.Timestamp < data.Histories[q.User][target.Position].Timestamp));
            return rank(data.TargetItem(target), data.Items[q.TargetDomain].Count).Take(k).ToArray();
        }).ToArray();
    }

    public static int[] Perfect(int target, int count) =>
        new[] { target }.Concat(Enumerable.Range(0, count).Where(i => i != target)).ToArray();

    public static int[] AlwaysWrong(int target, int count) => Enumerable.Range(0, count).Where(i => i != target).ToArray();

    /// <summary>The target at 0-based rank 2 (the domains here have at least 4 items).</summary>
    public static int[] ThirdPlace(int target, int count)
    {
        var others = AlwaysWrong(target, count).ToList();
        others.Insert(2, target);
        return others.ToArray();
    }
}
