using GenCdr.Tokenization;
using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Evaluation;
using GenCdr.Recommender;

namespace GenCdr.Tests.Recommender;

public class ItemLayoutTests
{
    // the token layout's tiny catalog and histories: each later item is determined by what precedes it
    static readonly int[][] DomainItems0 = RecommenderTrainerTests.DomainItems0;
    static readonly int[][] DomainItems1 = RecommenderTrainerTests.DomainItems1;
    static readonly (int Domain, int Item)[][] Histories = RecommenderTrainerTests.Histories;

    static readonly RecommenderConfig Config = Tiny.Config with
    {
        Layout = SequenceLayout.Item, BackboneLearningRate = 1e-2, AdapterLearningRate = 1e-3, BatchSize = 4, ItemIdRows = 32,
    };

    static IndexedSidItem Indexed((int Domain, int Item) e) =>
        new(new SidItem(e.Domain, (e.Domain == 0 ? DomainItems0 : DomainItems1)[e.Item]), e.Item);

    static List<RecommendationQuery> Queries() => Histories.Select((h, u) => new RecommendationQuery(u,
        h[..^1].Select((e, t) => new Event(e.Domain, e.Item, t)).ToList(), h[^1].Domain)).ToList();

    /// <summary>The domain pass's in-domain input (HistoryView.InDomain): a training sequence keeps exactly its
    /// domain-d targets in order (so the mixture's two passes line up target for target), a prompt keeps its target domain.</summary>
    [Fact]
    public void The_in_domain_view_keeps_the_domains_targets_in_order_and_a_prompts_target_domain()
    {
        var history = Histories[3].Select(Indexed).ToList();                // (1,1) (0,5) (1,0) (0,4)
        var training = ItemSequence.Training(history);
        var own = training.InDomain(1);
        Assert.Equal([-1, 1, 1], own.Domains);
        Assert.Equal([1, 0, -1], own.TargetItem);
        Assert.Equal(training.TargetItem.Where((t, i) => t >= 0 && training.NextDomain[i] == 1), own.TargetItem.Where(t => t >= 0));
        Assert.Equal([-1, 1, 0], own.Items);
        Assert.Equal([-1, 5, 4], training.InDomain(0).Items);

        var prompt = ItemSequence.Prompt(history.Select(i => i.Sid).ToList(), targetDomain: 0, history.Select(i => i.Item).ToList());
        var ownPrompt = prompt.InDomain(0);
        Assert.Equal([-1, 0, 0], ownPrompt.Domains);
        Assert.Equal(0, ownPrompt.NextDomain[^1]);
        Assert.All(ownPrompt.TargetItem, t => Assert.Equal(-1, t));
        Assert.Single(prompt.InDomain(1).Domains.Skip(1).Where(d => d == 1).Skip(1)); // two domain-1 items kept

        // a held-out sequence is a prompt with one target, its last position's; its in-domain view keeps that target
        var heldOut = ItemSequence.HeldOut(history.Select(i => i.Sid).ToList(), history.Select(i => i.Item).ToList(), targetDomain: 0, targetItem: 2);
        Assert.Equal([.. Enumerable.Repeat(-1, history.Count), 2], heldOut.TargetItem);
        Assert.True(heldOut.HasTargetIn(0));
        Assert.False(heldOut.HasTargetIn(1));
        var ownHeldOut = heldOut.InDomain(0);
        Assert.Equal(ownPrompt.Domains, ownHeldOut.Domains);
        Assert.Equal([-1, -1, 2], ownHeldOut.TargetItem);
    }

    /// <summary>Stage 0 on an in-domain backbone (<see cref="RecommenderConfig.BackboneHistory"/>): every training sequence
    /// becomes one sequence per domain it holds, each of one domain, and together they keep every target of the mixed
    /// sequence exactly once; the default (mixed) trains on the sequences themselves, and the later stages are unchanged.</summary>
    [Fact]
    public void An_in_domain_backbone_trains_on_each_domains_own_sequence_and_keeps_every_target_once()
    {
        var sequences = Histories.Select(h => ItemSequence.Training(h.Select(Indexed).ToList())).ToList();
        var inDomain = Config with { BackboneHistory = HistoryView.InDomain };
        var views = StagePlan.TrainingInput(inDomain, Stage.Backbone, sequences, domain: null);
        Assert.Equal(sequences.Sum(s => s.HistoryDomains().Count()), views.Count);
        Assert.All(views, v => Assert.Single(v.Domains.Skip(1).Distinct()));
        static IEnumerable<(int Domain, int Item)> Targets(IEnumerable<ItemSequence> all) =>
            all.SelectMany(s => s.TargetItem.Select((item, t) => (s.NextDomain[t], item)).Where(p => p.item >= 0));
        Assert.Equal(Targets(sequences).Order(), Targets(views).Order());
        Assert.True(Targets(sequences).Count() > 0);
        // each view's targets are its domain's items of the mixed sequence, in order
        var own = sequences[3].InDomain(1);
        Assert.Contains(views, v => v.Items.SequenceEqual(own.Items) && v.TargetItem.SequenceEqual(own.TargetItem));
        Assert.Same(sequences, StagePlan.TrainingInput(Config, Stage.Backbone, sequences, domain: null));
        Assert.Same(sequences, StagePlan.TrainingInput(inDomain, Stage.Universal, sequences, domain: null));
    }

    [Fact]
    public void A_prompt_ends_with_the_target_domain_and_a_training_sequence_targets_every_item_once()
    {
        var history = Histories[0].Select(Indexed).ToList();
        var training = ItemSequence.Training(history);
        Assert.Equal(5, training.Length);                                   // BOS + 4 items
        Assert.Equal([0, 1, 0, 1, -1], training.NextDomain);
        Assert.Equal([0, 0, 1, 1, -1], training.TargetItem);
        Assert.True(training.HasTargetIn(1));

        var prompt = ItemSequence.Prompt(history.Take(2).Select(i => i.Sid).ToList(), targetDomain: 1);
        Assert.Equal([-1, 0, 1], prompt.Domains);
        Assert.Equal([0, 1, 1], prompt.NextDomain);
        Assert.All(prompt.TargetItem, t => Assert.Equal(-1, t));

        using var batch = ItemBatch.Create([prompt, training], Tiny.Vocabulary);
        Assert.Equal(new long[] { 2, 5, 3 }, batch.CodeTokens.shape);
        // left padding: the 3-position prompt sits in the last three columns, its first two are padding
        Assert.Equal(new[] { false, false, true, true, true }, batch.Valid[0].data<bool>().ToArray());
        Assert.Equal(new long[] { 0, 0, 0, 1, 2 }, batch.Positions[0].data<long>().ToArray());
        Assert.Equal(Tiny.Vocabulary.DomainCount, batch.NextDomain[0, 0].item<long>());   // the "none" row
        Assert.Equal(1L, batch.NextDomain[0, -1].item<long>());
        Assert.Equal(SidVocabulary.Bos, batch.DomainTokens[0, 2].item<long>());
    }

    [Fact]
    public void The_lazy_update_trains_the_ID_rows_of_the_catalog_and_leaves_every_other_row_at_zero()
    {
        var model = Tiny.Model(Config);
        using var items = new ItemCodeTable(Tiny.Vocabulary, [DomainItems0, DomainItems1]);
        var trainer = new RecommenderTrainer(model, items);
        var sequences = Histories.Select(h => (IRecommenderSequence)ItemSequence.Training(h.Select(Indexed).ToList())).ToList();
        var rng = new Random(4);
        for (int epoch = 0; epoch < 3; epoch++) trainer.TrainEpoch(sequences, Stage.Backbone, null, rng);
        var norms = model.ItemIds!.Weight.detach().abs().sum(1).data<float>().ToArray();     // row 0, then 32 rows per domain
        var catalog = Enumerable.Range(0, DomainItems0.Length).Select(i => 1 + i)
            .Concat(Enumerable.Range(0, DomainItems1.Length).Select(i => 1 + 32 + i)).ToHashSet();
        Assert.Equal(1 + 2 * 32, norms.Length);
        Assert.All(Enumerable.Range(0, norms.Length), r => Assert.True(catalog.Contains(r) ? norms[r] > 0 : norms[r] == 0, $"row {r}: {norms[r]}"));
    }

    /// <summary>Stage 4b reads w at the position that predicts a target inside a training sequence; decoding reads it at
    /// the last position of a prompt. For the same prefix and target domain the two must be the same number.</summary>
    [Fact]
    public void The_training_time_and_decode_time_user_router_weights_are_equal_for_the_same_prefix()
    {
        var model = Tiny.Model(Config);
        Tiny.RandomiseAdapters(model, 3);
        using var items = new ItemCodeTable(Tiny.Vocabulary, [DomainItems0, DomainItems1]);
        var history = Histories[1].Select(Indexed).ToList();                        // domains 1, 0, 1, 0
        int target = 3, domain = history[target].Sid.Domain;
        model.eval();
        using var _ = TorchSharp.torch.no_grad();
        using var batch = ItemBatch.Create([ItemSequence.Training(history)], Tiny.Vocabulary);
        var (hidden, _) = model.ItemMixtureHidden(batch, batch, domain);
        // position `target` (BOS is position 0) is the one whose next item is history[target]
        var training = model.Router(domain).forward(UserRouter.State(hidden, batch.Valid)[.., target]).item<float>();
        var prompt = ItemSequence.Prompt(history.Take(target).Select(i => i.Sid).ToList(), domain, history.Take(target).Select(i => i.Item).ToList());
        var decoding = new ExactItemScorer(model, items, ScoringPasses.Mixture).Routing([prompt], domain, 8).Weight[0];
        Assert.Equal(training, decoding, 5);
        Assert.Equal(model.Router(domain).forward(UserRouter.State(hidden, batch.Valid)[.., target]).item<float>(), training);
    }

    /// <summary>
    /// The stage table drives decoding (issue #12): for each ablation the recommender decodes with the last stage's
    /// scoring, its scores are exactly those of the passes <see cref="StagePlan.Adapters"/> names, they differ from the
    /// other choice of universal experts (so a pass that hard-coded them would fail here), the mixture's two stacked
    /// passes are those two single passes, and the MoE gate is reported exactly when the passes run through it.
    /// </summary>
    [Theory]
    [InlineData(true, true, ScoringPasses.Mixture, HistoryView.Mixed, HistoryView.Mixed)]
    [InlineData(true, true, ScoringPasses.Mixture, HistoryView.InDomain, HistoryView.Mixed)]
    [InlineData(true, true, ScoringPasses.Mixture, HistoryView.InDomain, HistoryView.InDomain)]
    [InlineData(false, true, ScoringPasses.Domain, HistoryView.Mixed, HistoryView.Mixed)]
    [InlineData(false, true, ScoringPasses.Domain, HistoryView.InDomain, HistoryView.Mixed)]
    [InlineData(false, true, ScoringPasses.Domain, HistoryView.InDomain, HistoryView.InDomain)] // "w/o Cross-Domain History"
    [InlineData(true, false, ScoringPasses.Universal, HistoryView.Mixed, HistoryView.Mixed)]
    [InlineData(true, false, ScoringPasses.Universal, HistoryView.Mixed, HistoryView.InDomain)]
    [InlineData(false, false, ScoringPasses.Backbone, HistoryView.Mixed, HistoryView.Mixed)]
    [InlineData(false, false, ScoringPasses.Backbone, HistoryView.Mixed, HistoryView.InDomain)]
    public void Decoding_runs_exactly_the_passes_the_stage_table_names(bool universalExperts, bool domainExperts, ScoringPasses expected,
        HistoryView domainHistory, HistoryView backboneHistory)
    {
        var config = Config with
        {
            UseUniversalExperts = universalExperts, UseDomainExperts = domainExperts, DomainPassHistory = domainHistory, BackboneHistory = backboneHistory,
        };
        Assert.Equal(expected, StagePlan.For(config, 2)[^1].Passes);
        Assert.Equal(expected, StagePlan.FinalPasses(config));
        var model = Tiny.Model(config);
        Tiny.RandomiseAdapters(model, 5);
        model.eval();
        using var items = new ItemCodeTable(Tiny.Vocabulary, [DomainItems0, DomainItems1]);
        var recommender = new GenCdrRecommender(model, [DomainItems0, DomainItems1]);
        Assert.Equal(expected, recommender.Passes);
        Assert.Equal(StagePlan.RunsUniversalExperts(config, expected), recommender.ExpertGates(Queries()) is not null);

        using var _ = TorchSharp.torch.no_grad();
        var query = Queries()[1];
        int domain = query.TargetDomain;
        var prompt = ItemSequence.Prompt(recommender.Items(query.History), domain, query.History.Select(e => e.Item).ToList());
        using var batch = ItemBatch.Create([prompt], Tiny.Vocabulary);
        // the domain pass reads the prompt's in-domain items under InDomain, the whole prompt otherwise
        using var ownBatch = ItemBatch.Create([domainHistory == HistoryView.InDomain ? prompt.InDomain(domain) : prompt], Tiny.Vocabulary);
        var domains = TorchSharp.torch.full(1, (long)domain, dtype: TorchSharp.torch.int64);
        float[] Scores(ItemBatch input, AdapterSelection adapters) => TorchSharp.torch.nn.functional.log_softmax(
            model.ItemHidden(input, adapters)[.., -1].matmul(model.ItemVectors(items, domain).t()), -1)[0].data<float>().ToArray();
        if (expected == ScoringPasses.Mixture)
        {
            var (u, d) = model.ItemMixtureHidden(batch, domainHistory == HistoryView.InDomain ? ownBatch : batch, domain);
            var stacked = TorchSharp.torch.cat([u[.., -1], d[.., -1]]);
            var single = TorchSharp.torch.cat([model.ItemHidden(batch, StagePlan.Adapters(config, ScoringPasses.Universal, () => domains))[.., -1],
                model.ItemHidden(ownBatch, StagePlan.Adapters(config, ScoringPasses.Domain, () => domains))[.., -1]]);
            Assert.True(stacked.allclose(single, rtol: 1e-5, atol: 1e-6));
            // decoding's w and KL come from these two passes: the routing of the prompt differs between the two histories
            var routing = recommender.Routing([query], domain)!.Value;
            var (universalLog, ownLog) = (TorchSharp.torch.nn.functional.log_softmax(u[.., -1].matmul(model.ItemVectors(items, domain).t()), -1),
                TorchSharp.torch.nn.functional.log_softmax(d[.., -1].matmul(model.ItemVectors(items, domain).t()), -1));
            Assert.Equal((ownLog.exp() * (ownLog - universalLog)).sum().item<float>(), routing.Divergence[0], 4);
            return;
        }
        var decoded = recommender.Decode([query], DomainItems0.Length).PerUser[0].OrderBy(r => r.Item).Select(r => (float)r.Score).ToArray();
        // a pass reads its own view: the domain pass the domain pass's history, the backbone pass the backbone's, the
        // universal pass always the whole prompt
        bool inDomain = expected == ScoringPasses.Domain || (expected == ScoringPasses.Backbone && backboneHistory == HistoryView.InDomain);
        using var backboneBatch = ItemBatch.Create([prompt.InDomain(domain)], Tiny.Vocabulary);
        var table = Scores(expected == ScoringPasses.Domain ? ownBatch : inDomain ? backboneBatch : batch, StagePlan.Adapters(config, expected, () => domains));
        Assert.Equal(table.Length, decoded.Length);
        for (int i = 0; i < table.Length; i++) Assert.Equal(table[i], decoded[i], 4);
        if (expected == ScoringPasses.Domain)
        {
            var other = Scores(ownBatch, AdapterSelection.WithDomains(domains, universal: !universalExperts));
            Assert.True(other.Zip(table).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "the universal experts change nothing here");
        }
    }

    /// <summary>Decoding's one stacked forward for the mixture's two passes (in-domain domain pass) returns the items and
    /// scores of the two separate forwards that training runs.</summary>
    [Fact]
    public void Stacking_the_mixtures_two_passes_decodes_the_same_items_and_scores_as_running_them_apart()
    {
        var model = Tiny.Model(Config with { DomainPassHistory = HistoryView.InDomain });
        Tiny.RandomiseAdapters(model, 6);
        using var items = new ItemCodeTable(Tiny.Vocabulary, [DomainItems0, DomainItems1]);
        // prompts of different lengths and in-domain shares, so the two halves of the stacked batch differ in width
        var prompts = Histories.SelectMany(h => new[] { h[..^1], h[..^2] })
            .Select(h => ItemSequence.Prompt(h.Select(e => Indexed(e).Sid).ToList(), h[^1].Domain, h.Select(e => e.Item).ToList())).ToList();
        var domains = Histories.SelectMany(h => new[] { h[^2].Domain, h[^3].Domain }).ToList();
        var stacked = new ExactItemScorer(model, items, ScoringPasses.Mixture).Decode(prompts, domains, 5, constrained: true, batchUsers: 3);
        var apart = new ExactItemScorer(model, items, ScoringPasses.Mixture) { StackMixture = false }.Decode(prompts, domains, 5, constrained: true, batchUsers: 3);
        for (int u = 0; u < prompts.Count; u++)
        {
            Assert.Equal(apart.PerUser[u].Select(r => r.Item), stacked.PerUser[u].Select(r => r.Item));
            Assert.All(apart.PerUser[u].Zip(stacked.PerUser[u]), p => Assert.True(Math.Abs(p.First.Score - p.Second.Score) < 1e-5));
        }
        // the comparison is not vacuous: the in-domain inputs really differ from the prompts here
        Assert.Contains(prompts.Zip(domains), p => p.First.InDomain(p.Second).Length < p.First.Length);
    }

    /// <summary>The log-likelihood and rank the router stage is selected on read the very distribution decoding ranks:
    /// for every item, its log-probability is its decoded score and its rank its place in the decoded list; the
    /// probabilities sum to one over the candidates (the domain's items, or every item without the prefix tree).</summary>
    [Theory]
    [InlineData(ScoringPasses.Mixture, true)]
    [InlineData(ScoringPasses.Universal, true)]
    [InlineData(ScoringPasses.Mixture, false)]
    public void A_targets_log_probability_and_rank_are_its_decoded_score_and_place(ScoringPasses passes, bool constrained)
    {
        var model = Tiny.Model(Config with { DomainPassHistory = HistoryView.InDomain });
        Tiny.RandomiseAdapters(model, 6);
        using var items = new ItemCodeTable(Tiny.Vocabulary, [DomainItems0, DomainItems1]);
        var scorer = new ExactItemScorer(model, items, passes);
        int candidates = items.ItemCount(0) + items.ItemCount(1);
        foreach (var history in Histories)
        {
            int domain = history[^1].Domain, count = items.ItemCount(domain);
            var prompt = ItemSequence.Prompt(history[..^1].Select(e => Indexed(e).Sid).ToList(), domain, history[..^1].Select(e => e.Item).ToList());
            // every candidate decoded: the other domain's are dropped from the list, but keep their places
            var decoded = scorer.Decode([prompt], [domain], constrained ? count : candidates, constrained, batchUsers: 2).PerUser[0];
            Assert.Equal(count, decoded.Count);
            var targets = scorer.ScoreTargets(Enumerable.Repeat(prompt, count).ToList(), Enumerable.Repeat(domain, count).ToList(),
                Enumerable.Range(0, count).ToList(), constrained, batchUsers: 2);
            Assert.All(decoded, r => Assert.Equal(r.Score, targets[r.Item].LogProbability, 4));
            // ranks: the decoded order, counting the other domain's items ranked above (they are candidates too)
            var byRank = Enumerable.Range(0, count).OrderBy(i => targets[i].Rank).ToList();
            Assert.Equal(decoded.Select(r => r.Item), byRank);
            Assert.Equal(count, targets.Select(t => t.Rank).Distinct().Count());
            if (constrained) Assert.Equal(Enumerable.Range(0, count), targets.Select(t => t.Rank).Order());
            if (constrained) Assert.Equal(1.0, targets.Sum(t => Math.Exp(t.LogProbability)), 4);
        }
    }

    [Fact]
    public void A_fresh_MoE_gate_weighs_every_expert_alike_and_a_trained_one_does_not()
    {
        var model = Tiny.Model(Config);
        using var items = new ItemCodeTable(Tiny.Vocabulary, [DomainItems0, DomainItems1]);
        var prompts = Histories.Select(h => ItemSequence.Prompt(h[..^1].Select(e => Indexed(e).Sid).ToList(), h[^1].Domain)).ToList();
        var scorer = new ExactItemScorer(model, items, ScoringPasses.Mixture);
        var (fresh, freshEntropy) = scorer.ExpertGates(prompts, 8);
        int k = Config.NumUniversalExperts;
        Assert.Equal(Config.Layers, fresh.Length);
        Assert.All(fresh.SelectMany(w => w), w => Assert.Equal(1.0 / k, w, 6));
        Assert.All(freshEntropy, e => Assert.Equal(Math.Log(k), e, 5));
        Tiny.RandomiseAdapters(model, 8);                        // gives the gate's Linear non-zero weights
        var (_, entropy) = scorer.ExpertGates(prompts, 8);
        Assert.All(entropy, e => Assert.True(e < Math.Log(k) - 1e-3, $"entropy {e} vs ln K {Math.Log(k)}"));
    }

    [Theory]
    [InlineData(HistoryView.Mixed)]
    [InlineData(HistoryView.InDomain)]
    public void The_item_layout_overfits_and_every_stage_keeps_decoding_the_next_item(HistoryView domainHistory)
    {
        var model = Tiny.Model(Config with { DomainPassHistory = domainHistory });
        using var items = new ItemCodeTable(Tiny.Vocabulary, [DomainItems0, DomainItems1]);
        var trainer = new RecommenderTrainer(model, items);
        var sequences = Histories.Select(h => (IRecommenderSequence)ItemSequence.Training(h.Select(Indexed).ToList())).ToList();
        var rng = new Random(4);
        double loss = double.NaN;
        // Floor: users 0/2 and 1/3 start in the same domain from BOS alone, so 4 of the 16 targets are coin flips:
        // 4 · ln 2 / 16 ≈ 0.173. Everything after the first item is determined.
        for (int epoch = 0; epoch < 300 && !(loss < 0.2); epoch++) loss = trainer.TrainEpoch(sequences, Stage.Backbone, null, rng);
        Assert.True(loss < 0.2, $"stage-0 loss {loss}");

        var expected = Histories.Select(h => h[^1].Item).ToList();
        var backbone = new GenCdrRecommender(model, [DomainItems0, DomainItems1], passes: ScoringPasses.Backbone);
        Assert.Equal(expected, backbone.Recommend(Queries(), 3).Select(r => r[0]));

        for (int e = 0; e < 3; e++) Assert.True(double.IsFinite(trainer.TrainEpoch(sequences, Stage.Universal, null, rng)));
        for (int d = 0; d < 2; d++)
        {
            for (int e = 0; e < 3; e++) Assert.True(double.IsFinite(trainer.TrainEpoch(sequences, Stage.DomainAdapter, d, rng)));
            for (int e = 0; e < 3; e++) Assert.True(double.IsFinite(trainer.TrainEpoch(sequences, Stage.UserRouter, d, rng)));
        }
        var full = new GenCdrRecommender(model, [DomainItems0, DomainItems1]);
        Assert.Equal(ScoringPasses.Mixture, full.Passes);
        var decoded = full.Decode(Queries(), 3);
        Assert.Equal(expected, decoded.PerUser.Select(r => r[0].Item));
        // more than half the mass on the right item; with the in-domain domain pass, whose history alone does not
        // determine the next item in these alternating histories, more than a third (uniform over a domain is ≤ 1/5)
        double floor = domainHistory == HistoryView.Mixed ? 0.5 : 1.0 / 3;
        Assert.All(decoded.PerUser, r => Assert.True(r[0].Score > Math.Log(floor), $"{r[0].Score}"));
        // exact scores are log-probabilities over the target domain's items, best first, with the items' SIDs
        Assert.All(decoded.PerUser, r => Assert.True(r[0].Score >= r[1].Score && r[0].Score <= 0));
        Assert.Equal(DomainItems1[expected[0]], decoded.PerUser[0][0].Codes);
        Assert.Equal(0, full.Invalid);
    }

    [Fact]
    public void Without_the_prefix_tree_items_of_other_domains_are_generated_and_dropped()
    {
        var model = Tiny.Model(Config with { UsePrefixTree = false });
        Tiny.RandomiseAdapters(model, 3);
        var recommender = new GenCdrRecommender(model, [DomainItems0, DomainItems1]);
        var top = recommender.Decode(Queries(), 11);                       // all 11 items of both domains
        Assert.Equal(4 * 11, recommender.Generated);
        // each list keeps exactly its target domain's items: 6 or 5 of the 11
        Assert.Equal(Histories.Select(h => h[^1].Domain == 0 ? 6 : 5), top.PerUser.Select(r => r.Count));
        Assert.Equal(4 * 11 - top.PerUser.Sum(r => r.Count), recommender.Invalid);
    }

    [Fact]
    public void Item_id_rows_separate_items_beyond_their_codes_and_start_at_zero()
    {
        var model = Tiny.Model(Config);                                   // 32 rows per domain
        var codes = TorchSharp.torch.tensor(new long[] { 6, 10, 14, 6, 10, 14 }, [2, 3]);   // one SID twice
        var items = TorchSharp.torch.tensor(new long[] { 0, 1 });
        // zero-initialised: at first an item is its SID alone
        Assert.Equal(0f, (model.ItemVectors(codes, 1, items)[0] - model.ItemVectors(codes, 1, items)[1]).abs().sum().item<float>());
        foreach (var (name, p) in model.named_parameters())
            if (name.Contains("item_ids")) using (TorchSharp.torch.no_grad()) p.normal_(0, 1);
        var v = model.ItemVectors(codes, 1, items);
        Assert.True((v[0] - v[1]).abs().sum().item<float>() > 0.1f);
        // without ID rows the two are one vector
        var pure = Tiny.Model(Config with { ItemIdRows = 0 });
        var w = pure.ItemVectors(codes, 1, items);
        Assert.Equal(0f, (w[0] - w[1]).abs().sum().item<float>());
        Assert.DoesNotContain(pure.named_parameters(), p => p.name.Contains("item_ids"));
    }

    [Fact]
    public void An_item_added_after_training_is_scored_from_the_next_call_on()
    {
        var model = Tiny.Model(Config);
        var domain0 = DomainItems0.ToList();
        var recommender = new GenCdrRecommender(model, [domain0, DomainItems1]);
        Assert.Equal(6, recommender.Decode(Queries().Take(1).Select(q => q with { TargetDomain = 0 }).ToList(), 20).PerUser[0].Count);
        domain0.Add([2, 3, 3]);
        var after = recommender.Decode(Queries().Take(1).Select(q => q with { TargetDomain = 0 }).ToList(), 20).PerUser[0];
        Assert.Equal(7, after.Count);
        Assert.Contains(after, r => r.Item == 6 && r.Codes.SequenceEqual([2, 3, 3]));
    }
}
