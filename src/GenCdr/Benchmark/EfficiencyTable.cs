namespace GenCdr.Benchmark;

/// <summary>
/// Cost per model (cf. the paper's §5.4 efficiency analysis): training wall time, peak memory, decoding
/// throughput, and the evaluator's own wall time and throughput on the reported split. A model appears if it
/// has results or run information.
/// </summary>
public static class EfficiencyTable
{
    public static MarkdownTable Build(MeasuredResults ours, IReadOnlyDictionary<string, ModelRunInfo> runInfo)
    {
        var table = new MarkdownTable("model", "training wall time (s)", "peak memory (MB)", "decode users/s",
            $"evaluation wall time, {ours.Split} (s)", $"evaluation users/s, {ours.Split}");
        var models = ours.Models.Concat(ours.Variants.Values).Concat(runInfo.Keys).Distinct().ToList();
        foreach (var model in models)
        {
            runInfo.TryGetValue(model, out var info);
            table.AddRow(model,
                info is null ? ReportFormat.Missing : ReportFormat.Number(info.TrainSeconds, "0.0"),
                ReportFormat.Number(info?.PeakMemoryMb, "0"),
                ReportFormat.Number(info?.DecodeUsersPerSecond, "0.0"),
                ReportFormat.Number(ours.EvaluationSeconds(model), "0.0"),
                ReportFormat.Number(ours.EvaluationUsersPerSecond(model), "0.0"));
        }
        return table;
    }
}
