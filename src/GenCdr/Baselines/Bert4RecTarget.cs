namespace GenCdr.Baselines;

/// <summary>A masked position of a training sample and the item hidden there (an item of <see cref="Domain"/>).</summary>
public readonly record struct Bert4RecTarget(int Position, int Domain, int Item);
