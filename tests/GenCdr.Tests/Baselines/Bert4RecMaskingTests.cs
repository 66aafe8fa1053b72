using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Tests.Evaluation;
using GenCdr.Tests.Synthetic;

namespace GenCdr.Tests.Baselines;

/// <summary>The Cloze samples hide what they ask for, and the inference input never contains the target.</summary>
public class Bert4RecMaskingTests
{
    static readonly Bert4RecVocabulary Vocabulary = new([10, 7]);

    static Event[] Window(params (int Domain, int Item)[] events) =>
        events.Select((e, t) => new Event(e.Domain, e.Item, t)).ToArray();

    [Fact]
    public void Vocabulary_gives_pad_items_and_one_mask_per_domain_distinct_tokens()
    {
        var tokens = new List<long> { Bert4RecVocabulary.Pad };
        for (int d = 0; d < 2; d++)
            for (int i = 0; i < Vocabulary.ItemCount(d); i++) tokens.Add(Vocabulary.Item(d, i));
        tokens.Add(Vocabulary.Mask(0));
        tokens.Add(Vocabulary.Mask(1));
        Assert.Equal(Vocabulary.Size, tokens.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, Vocabulary.Size).Select(i => (long)i), tokens.Order());
        Assert.True(Vocabulary.IsMask(Vocabulary.Mask(1)));
        Assert.False(Vocabulary.IsMask(Vocabulary.Item(1, 6)));
        Assert.Equal(Vocabulary.Item(1, 0), Vocabulary.FirstItemToken(1));
    }

    [Fact]
    public void Cloze_masked_positions_read_mask_and_keep_the_original_item_as_label()
    {
        var window = Window((0, 3), (1, 2), (0, 9), (0, 3), (1, 6), (0, 0));
        var rng = new Random(7);
        int masked = 0, positions = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            var sample = Bert4RecMasking.Cloze(window, 0.3, Vocabulary, rng);
            Assert.NotEmpty(sample.Targets);
            var maskedPositions = sample.Targets.Select(t => t.Position).ToHashSet();
            Assert.Equal(sample.Targets.Length, maskedPositions.Count);
            for (int p = 0; p < window.Length; p++)
            {
                var e = window[p];
                if (maskedPositions.Contains(p))
                {
                    Assert.Equal(Vocabulary.Mask(e.Domain), sample.Tokens[p]);
                    Assert.NotEqual(Vocabulary.Item(e.Domain, e.Item), sample.Tokens[p]);
                    var target = sample.Targets.Single(t => t.Position == p);
                    Assert.Equal((e.Domain, e.Item), (target.Domain, target.Item));
                }
                else Assert.Equal(Vocabulary.Item(e.Domain, e.Item), sample.Tokens[p]);
            }
            masked += maskedPositions.Count;
            positions += window.Length;
        }
        // 0.3 per position, plus the forced one when none was drawn (0.7⁶ ≈ 0.118 of samples): ≈ 0.32.
        double rate = (double)masked / positions;
        Assert.InRange(rate, 0.30, 0.34);
    }

    [Fact]
    public void Cloze_masks_at_least_one_position_even_with_a_tiny_probability()
    {
        var window = Window((0, 1), (0, 2), (0, 3));
        var rng = new Random(1);
        var hit = new int[window.Length];
        for (int trial = 0; trial < 300; trial++)
        {
            var sample = Bert4RecMasking.Cloze(window, 1e-9, Vocabulary, rng);
            var target = Assert.Single(sample.Targets);
            hit[target.Position]++;
        }
        Assert.All(hit, count => Assert.True(count > 50, $"forced mask positions {string.Join(",", hit)} are not uniform"));
    }

    [Fact]
    public void Last_item_sample_masks_only_the_last_position()
    {
        var window = Window((0, 4), (1, 5), (1, 1));
        var sample = Bert4RecMasking.LastItem(window, Vocabulary);
        Assert.Equal(new[] { Vocabulary.Item(0, 4), Vocabulary.Item(1, 5), Vocabulary.Mask(1) }, sample.Tokens);
        Assert.Equal(new[] { new Bert4RecTarget(2, 1, 1) }, sample.Targets);
    }

    [Fact]
    public void Sample_mixes_cloze_and_last_item_samples_and_is_deterministic_for_a_seed()
    {
        var window = Window((0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (0, 8));
        var config = new Bert4RecConfig { MaskProbability = 0.2, LastItemOnlyProbability = 0.5 };
        var a = new Random(3);
        var b = new Random(3);
        int lastOnly = 0;
        for (int i = 0; i < 400; i++)
        {
            var x = Bert4RecMasking.Sample(window, config, Vocabulary, a);
            var y = Bert4RecMasking.Sample(window, config, Vocabulary, b);
            Assert.Equal(x.Tokens, y.Tokens);
            Assert.Equal(x.Targets, y.Targets);
            if (x.Targets is [{ Position: 7 }]) lastOnly++;
        }
        // Last-item samples (≈ 200) plus Cloze samples that happen to mask only position 7 (≈ 200 · 0.2 · 0.8⁷ ≈ 8).
        Assert.InRange(lastOnly, 170, 240);
    }

    [Fact]
    public void Query_tokens_are_the_history_then_the_target_domain_mask_never_the_target()
    {
        var data = SyntheticPreparation.DefaultPrepared;
        var vocabulary = new Bert4RecVocabulary(data.Items.Select(i => i.Count).ToArray());
        foreach (bool crossDomain in new[] { false, true })
        {
            var config = new Bert4RecConfig { MaxLength = 8, CrossDomainHistory = crossDomain };
            foreach (var target in data.Validation.Concat(data.Test).Take(1500))
            {
                var history = data.HistoryBefore(target);
                var tokens = Bert4RecInput.QueryTokens(history, target.Domain, config, vocabulary);
                var expected = history.Where(e => crossDomain || e.Domain == target.Domain).TakeLast(config.MaxLength - 1)
                    .Select(e => vocabulary.Item(e.Domain, e.Item)).Append(vocabulary.Mask(target.Domain));
                Assert.Equal(expected, tokens);
                Assert.True(tokens.Length <= config.MaxLength);
                Assert.NotEqual(vocabulary.Item(target.Domain, data.TargetItem(target)), tokens[^1]);
            }
        }
    }

    [Fact]
    public void Training_windows_hold_exactly_the_training_events_of_each_domain()
    {
        var data = TinyData.Create();
        var config = new Bert4RecConfig { MaxLength = 2 };
        for (int u = 0; u < data.UserCount; u++)
        {
            var training = data.TrainingHistory(u);
            var windows = Bert4RecInput.TrainingWindows(training, data.DomainCount, config).ToList();
            Assert.All(windows, w => Assert.InRange(w.Length, 2, config.MaxLength));
            Assert.All(windows, w => Assert.Single(w.Select(e => e.Domain).Distinct()));
            for (int d = 0; d < data.DomainCount; d++)
            {
                var events = training.Where(e => e.Domain == d).ToArray();
                // Windows are cut from the most recent end; a lone leftover first event is dropped.
                var expected = events.Length % config.MaxLength == 1 ? events[1..] : events;
                Assert.Equal(expected, windows.Where(w => w[0].Domain == d).Reverse().SelectMany(w => w));
            }
        }
        // u0's held-out events (positions 3, 4, 5, 6) are in no window.
        var u0 = Bert4RecInput.TrainingWindows(data.TrainingHistory(0), data.DomainCount, config).SelectMany(w => w).ToList();
        Assert.DoesNotContain(u0, e => e.Timestamp >= 13);
    }
}
