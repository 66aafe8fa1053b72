using GenCdr.Recommender;
using static TorchSharp.torch;

namespace GenCdr.Decoding;

/// <summary>
/// <see cref="IStepScorer"/> over a <see cref="GenerativeRecommender"/>: the prompts are prefilled once into a
/// KV cache, then each step feeds only the new code token of every beam. In <see cref="ScoringPasses.Mixture"/>
/// mode the rows are doubled (universal pass, then domain pass) so both run in one batched forward, and the
/// scores returned are log(w·P_univ + (1 − w)·P_dom), with w from the user router on the mean final hidden
/// state of the universal pass over the prompt (history + target-domain token).
/// </summary>
public sealed class TransformerStepScorer(GenerativeRecommender model, ScoringPasses passes) : IStepScorer
{
    public ScoringPasses Passes { get; } = passes;

    public IScoringSession Begin(IReadOnlyList<int[]> prompts, IReadOnlyList<int> targetDomains) =>
        new Session(model, Passes, prompts, targetDomains);

    sealed class Session : IScoringSession
    {
        readonly GenerativeRecommender _model;
        readonly ScoringPasses _passes;
        readonly KvCache _cache;
        readonly Device _device;   // the model's: the prompts, tokens and beam rows go there
        Tensor _domains;      // long [Rows]: each row's target domain
        Tensor? _weight;      // [Rows]: the router's w (mixture only)
        Tensor _scores;       // [Rows, V]
        readonly bool _wasTraining;

        public int Rows { get; private set; }

        public Session(GenerativeRecommender model, ScoringPasses passes, IReadOnlyList<int[]> prompts, IReadOnlyList<int> domains)
        {
            _model = model;
            _passes = passes;
            _wasTraining = model.training;
            model.eval();
            _cache = new KvCache(model.Backbone.LayerCount);
            _device = model.Device;
            Rows = prompts.Count;
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            using var batch = TokenBatch.FromPrompts(prompts, _device);
            _domains = tensor(domains.Select(d => (long)d).ToArray(), device: _device).DetachFromDisposeScope();
            var hidden = Forward(batch.Tokens, batch.Valid, batch.Positions);
            if (passes == ScoringPasses.Mixture)
            {
                var userState = UserRouter.State(hidden[..Rows], batch.Valid)[.., -1];
                _weight = model.UserWeight(userState, _domains).DetachFromDisposeScope();
            }
            _scores = Scores(hidden[.., -1]).DetachFromDisposeScope();
        }

        /// <summary>One copy to the host per step: every row's scores of the level at once.</summary>
        public float[] NextScores(int first, int count)
        {
            using var level = _scores.narrow(1, first, count).contiguous();
            return level.ToHostArray<float>();
        }

        public void Advance(long[] parentRows, long[] tokens)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var rows = tensor(parentRows, device: _device);
            var cacheRows = _passes == ScoringPasses.Mixture ? cat([rows, rows + Rows]) : rows;
            _cache.Reorder(cacheRows);
            Replace(ref _domains, _domains.index_select(0, rows));
            if (_weight is not null) { var w = _weight.index_select(0, rows); Replace(ref _weight!, w); }
            Rows = parentRows.Length;
            var tokenColumn = tensor(tokens, device: _device).unsqueeze(1);
            var hidden = Forward(tokenColumn, ones_like(tokenColumn, dtype: @bool), zeros_like(tokenColumn));
            Replace(ref _scores, Scores(hidden[.., -1]));
        }

        /// <summary>Final hidden states of the selected pass(es); in mixture mode [2·Rows, T, d].</summary>
        Tensor Forward(Tensor tokens, Tensor valid, Tensor positions)
        {
            var net = _model.Backbone;
            if (_passes != ScoringPasses.Mixture)
                return net.Hidden(tokens, valid, positions, StagePlan.Adapters(_model.Config, _passes, () => _domains), _cache);
            return net.Hidden(tokens.repeat(2, 1), valid.repeat(2, 1), positions.repeat(2, 1),
                StagePlan.MixtureAdapters(_model.Config, _domains), _cache);
        }

        /// <summary>Next-token scores from last-column hidden states: logits for a single pass, the log of the
        /// router's mixture of the two passes' probabilities otherwise.</summary>
        Tensor Scores(Tensor lastHidden)
        {
            var logits = _model.Backbone.Logits(lastHidden);
            if (_passes != ScoringPasses.Mixture) return logits;
            var logProbs = logits.log_softmax(-1);
            var w = _weight!.unsqueeze(1);
            return UserRouter.Mix(w, logProbs[..Rows], logProbs[Rows..]);
        }

        static void Replace(ref Tensor slot, Tensor value)
        {
            value.DetachFromDisposeScope();
            slot.Dispose();
            slot = value;
        }

        public void Dispose()
        {
            _cache.Dispose();
            _domains.Dispose();
            _weight?.Dispose();
            _scores.Dispose();
            if (_wasTraining) _model.train();
        }
    }
}
