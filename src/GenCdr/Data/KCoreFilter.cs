namespace GenCdr.Data;

/// <summary>
/// k-core filtering of one domain's interactions: repeatedly remove users and items with fewer than k
/// interactions until every remaining user and item has at least k (removing an item can push a user below k,
/// hence the iteration). This is the "5-core" of the Amazon data sets.
/// </summary>
public static class KCoreFilter
{
    /// <summary>The interactions that survive, in their original order.</summary>
    public static List<Interaction> Apply(IReadOnlyList<Interaction> interactions, int k)
    {
        if (k <= 1) return interactions.ToList();
        var userIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var users = new int[interactions.Count];
        var items = new int[interactions.Count];
        for (int i = 0; i < interactions.Count; i++)
        {
            users[i] = Index(userIndex, interactions[i].User);
            items[i] = Index(itemIndex, interactions[i].Item);
        }
        var alive = Enumerable.Repeat(true, interactions.Count).ToArray();
        while (true)
        {
            var userCount = new int[userIndex.Count];
            var itemCount = new int[itemIndex.Count];
            for (int i = 0; i < alive.Length; i++)
                if (alive[i]) { userCount[users[i]]++; itemCount[items[i]]++; }
            bool removed = false;
            for (int i = 0; i < alive.Length; i++)
                if (alive[i] && (userCount[users[i]] < k || itemCount[items[i]] < k)) { alive[i] = false; removed = true; }
            if (!removed) break;
        }
        var kept = new List<Interaction>();
        for (int i = 0; i < alive.Length; i++)
            if (alive[i]) kept.Add(interactions[i]);
        return kept;
    }

    static int Index(Dictionary<string, int> index, string key)
    {
        if (!index.TryGetValue(key, out int i)) index[key] = i = index.Count;
        return i;
    }
}
