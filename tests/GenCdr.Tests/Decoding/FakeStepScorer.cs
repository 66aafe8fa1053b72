using GenCdr.Decoding;

namespace GenCdr.Tests.Decoding;

/// <summary>A step model without a transformer: the score of code c after a user's prefix comes from a
/// hand-written function of (user's prompt, prefix, code), so beam search can be checked against known
/// distributions. The "user" of the short constructor is the row's index in its batch.</summary>
sealed class FakeStepScorer(int codeOffset, int codesPerLevel, Func<int[], int, int[], int, float> score) : IStepScorer
{
    readonly int _codeOffset = codeOffset, _codesPerLevel = codesPerLevel;
    readonly Func<int[], int, int[], int, float> _score = score;

    public FakeStepScorer(int codeOffset, int codesPerLevel, Func<int, int[], int, float> score)
        : this(codeOffset, codesPerLevel, (_, user, prefix, code) => score(user, prefix, code)) { }

    /// <summary>Rows fed to the model after the prompts (one per beam extended), over all sessions.</summary>
    public int AdvancedRows { get; private set; }

    /// <summary>Begin calls seen (the history must be encoded once per batch).</summary>
    public int Sessions { get; private set; }
    public int MaxRows { get; private set; }

    public IScoringSession Begin(IReadOnlyList<int[]> prompts, IReadOnlyList<int> targetDomains)
    {
        Sessions++;
        return new Session(this, prompts);
    }

    sealed class Session(FakeStepScorer owner, IReadOnlyList<int[]> prompts) : IScoringSession
    {
        List<(int User, int[] Prefix)> _rows = Enumerable.Range(0, prompts.Count).Select(u => (u, Array.Empty<int>())).ToList();
        public int Rows => _rows.Count;

        public float[] NextScores(int first, int count)
        {
            var scores = new float[Rows * count];
            for (int r = 0; r < Rows; r++)
                for (int i = 0; i < count; i++)
                {
                    int token = first + i;
                    int level = (token - owner._codeOffset) / owner._codesPerLevel;
                    Assert.Equal(_rows[r].Prefix.Length, level);
                    scores[r * count + i] = owner._score(prompts[_rows[r].User], _rows[r].User, _rows[r].Prefix, (token - owner._codeOffset) % owner._codesPerLevel);
                }
            return scores;
        }

        public void Advance(long[] parentRows, long[] tokens)
        {
            _rows = parentRows.Select((p, i) => (_rows[(int)p].User,
                (int[])[.. _rows[(int)p].Prefix, (int)(tokens[i] - owner._codeOffset) % owner._codesPerLevel])).ToList();
            owner.MaxRows = Math.Max(owner.MaxRows, Rows);
            owner.AdvancedRows += Rows;
        }

        public void Dispose() { }
    }
}
