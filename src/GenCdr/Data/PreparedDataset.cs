namespace GenCdr.Data;

/// <summary>
/// A data set ready for training and evaluation: dense item indices per domain, each user's merged,
/// time-ordered cross-domain history, and the leave-last-out split.
///
/// Protocol (paper §4.1): per user and domain, the last event of the domain is the test target and the
/// second last the validation target. A user with fewer than 3 events in a domain is not evaluated in that
/// domain (all of those events are training data), so that every evaluated user keeps at least one
/// training event of the domain. The history given to a model for a held-out event is every event of the
/// merged sequence before it (all domains), which never includes the evaluated item or anything after it.
/// </summary>
public sealed class PreparedDataset
{
    public string Name { get; }
    public IReadOnlyList<string> DomainNames { get; }
    /// <summary>Items[d][i] is item i of domain d.</summary>
    public IReadOnlyList<IReadOnlyList<Item>> Items { get; }
    public IReadOnlyList<string> UserIds { get; }
    /// <summary>Histories[u]: user u's events of all domains, time-ordered with stable tie-breaks.</summary>
    public IReadOnlyList<Event[]> Histories { get; }
    /// <summary>Optional: UserGroups[u] is user u's group ("" for none), when the data set knows one
    /// (<see cref="RawDataset.UserGroups"/>); read by diagnostics only, never by a model. A group may hold for one domain
    /// only, written NAME@DOMAIN (see <see cref="GroupInDomain"/>).</summary>
    public IReadOnlyList<string>? UserGroups { get; init; }

    /// <summary>Separates a group's name from the one domain it holds for ("transfer@apparel").</summary>
    public const char GroupDomainSeparator = '@';

    /// <summary>What <paramref name="group"/> is for the user's predictions in <paramref name="domain"/>: its name when it
    /// holds for every domain or for this one, "" (no group) when it holds for another domain.</summary>
    public static string GroupInDomain(string group, string domain)
    {
        int at = group.LastIndexOf(GroupDomainSeparator);
        if (at < 0) return group;
        return string.Equals(group[(at + 1)..], domain, StringComparison.OrdinalIgnoreCase) ? group[..at] : "";
    }
    public IReadOnlyList<HeldOut> Validation { get; }
    public IReadOnlyList<HeldOut> Test { get; }

    readonly HashSet<(int User, int Position)> _heldOutPositions;

    public const int MinEventsToEvaluate = 3;

    public PreparedDataset(string name, IReadOnlyList<string> domainNames, IReadOnlyList<IReadOnlyList<Item>> items,
        IReadOnlyList<string> userIds, IReadOnlyList<Event[]> histories)
    {
        if (items.Count != domainNames.Count) throw new ArgumentException("one item list per domain is required");
        if (histories.Count != userIds.Count) throw new ArgumentException("one history per user is required");
        Name = name;
        DomainNames = domainNames;
        Items = items;
        UserIds = userIds;
        Histories = histories;
        var validation = new List<HeldOut>();
        var test = new List<HeldOut>();
        for (int u = 0; u < histories.Count; u++)
        {
            var h = histories[u];
            for (int d = 0; d < domainNames.Count; d++)
            {
                int last = -1, secondLast = -1, count = 0;
                for (int p = 0; p < h.Length; p++)
                {
                    if (h[p].Domain != d) continue;
                    count++;
                    secondLast = last;
                    last = p;
                }
                if (count < MinEventsToEvaluate) continue;
                validation.Add(new HeldOut(u, d, secondLast));
                test.Add(new HeldOut(u, d, last));
            }
        }
        Validation = validation;
        Test = test;
        _heldOutPositions = new HashSet<(int, int)>(validation.Concat(test).Select(x => (x.User, x.Position)));
    }

    public int DomainCount => DomainNames.Count;
    public int UserCount => UserIds.Count;
    public int DomainIndex(string name)
    {
        for (int d = 0; d < DomainNames.Count; d++)
            if (string.Equals(DomainNames[d], name, StringComparison.OrdinalIgnoreCase)) return d;
        throw new GenCdrException($"unknown domain '{name}' (known: {string.Join(", ", DomainNames)})");
    }

    public IReadOnlyList<HeldOut> HeldOutOf(Split split) => split == Split.Validation ? Validation : Test;

    /// <summary>The training events of user u: the merged history without any held-out event.</summary>
    public Event[] TrainingHistory(int user)
    {
        var h = Histories[user];
        var result = new List<Event>(h.Length);
        for (int p = 0; p < h.Length; p++)
            if (!_heldOutPositions.Contains((user, p))) result.Add(h[p]);
        return result.ToArray();
    }

    /// <summary>The training events before a held-out event (no held-out event of any domain): the history a model may be
    /// fitted on for that target without reading another held-out event, even as an input.</summary>
    public Event[] TrainingHistoryBefore(HeldOut target)
    {
        var h = Histories[target.User];
        var result = new List<Event>(target.Position);
        for (int p = 0; p < target.Position; p++)
            if (!_heldOutPositions.Contains((target.User, p))) result.Add(h[p]);
        return result.ToArray();
    }

    /// <summary>What a model may see when asked to predict a held-out event: everything before it.</summary>
    public ArraySegment<Event> HistoryBefore(HeldOut target) => new(Histories[target.User], 0, target.Position);

    /// <summary>The item to be predicted for a held-out event.</summary>
    public int TargetItem(HeldOut target) => Histories[target.User][target.Position].Item;
}
