using GenCdr.Data;
using GenCdr.Data.Synthetic;

namespace GenCdr.Tests.Synthetic;

/// <summary>
/// A minimal RawDataset → PreparedDataset conversion for tests (the real one, with filtering and
/// statistics, is DatasetPreparer): dense item indices in file order, users in order of first appearance,
/// each user's events of all domains sorted by time (ties: domain order, then input order).
/// </summary>
public static class SyntheticPreparation
{
    static readonly Lazy<(RawDataset Raw, PreparedDataset Prepared)> Default = new(() =>
    {
        var raw = SyntheticDatasetGenerator.Generate(new SyntheticDatasetConfig());
        return (raw, Prepare(raw));
    });

    /// <summary>The default generated data set, generated once per test run.</summary>
    public static RawDataset DefaultRaw => Default.Value.Raw;
    public static PreparedDataset DefaultPrepared => Default.Value.Prepared;

    public static PreparedDataset Prepare(RawDataset raw)
    {
        var itemIndex = raw.Domains.Select(d => d.Items.Select((it, i) => (it.Id, i)).ToDictionary(x => x.Id, x => x.i)).ToArray();
        var userIndex = new Dictionary<string, int>();
        var users = new List<string>();
        var events = new List<List<(Event Event, int Order)>>();
        int order = 0;
        for (int d = 0; d < raw.Domains.Count; d++)
            foreach (var x in raw.Domains[d].Interactions)
            {
                if (!userIndex.TryGetValue(x.User, out int u))
                {
                    userIndex[x.User] = u = users.Count;
                    users.Add(x.User);
                    events.Add([]);
                }
                events[u].Add((new Event(d, itemIndex[d][x.Item], x.Timestamp), order++));
            }
        var histories = events.Select(list => list
            .OrderBy(e => e.Event.Timestamp).ThenBy(e => e.Event.Domain).ThenBy(e => e.Order)
            .Select(e => e.Event).ToArray()).ToArray();
        return new PreparedDataset(raw.Name, raw.Domains.Select(d => d.Name).ToArray(),
            raw.Domains.Select(d => (IReadOnlyList<Item>)d.Items).ToArray(), users, histories);
    }
}
