using GenCdr.Data;
using System.Globalization;
using System.Text;

namespace GenCdr.Benchmark;

/// <summary>The figure files of a report (file names relative to the run folder), null when not drawn.</summary>
public sealed record ReportFigures(string? RecallBars = null, string? TrainingLoss = null, string? ItemLatents = null,
    IReadOnlyList<Projection>? Projections = null, string? ValidationRecall = null);

/// <summary>What <see cref="BenchReport.Write"/> produced.</summary>
public sealed record BenchReportOutput(string ReportPath, string ResultsPath, ReportFigures Figures,
    IReadOnlyList<BaselineVerdict> Verdicts);

/// <summary>
/// Writes the benchmark report of a run into a folder: report.md (our results next to the paper's
/// Table 2 and Table 3, cost per model, the computed "does GenCDR beat TIGER and SASRec" statement,
/// protocol and data provenance, linked figures), results.json (everything it was made from) and the PNGs.
/// </summary>
public static class BenchReport
{
    public const string ReportFile = "report.md";
    public const string ResultsFile = "results.json";
    public const string RecallBarsFile = "recall-at-10.png";
    public const string TrainingLossFile = "training-loss.png";
    public const string ItemLatentsFile = "item-latents.png";
    public const string ValidationRecallFile = "validation-recall.png";

    public static BenchReportOutput Write(string runFolder, BenchReportInput input)
    {
        Directory.CreateDirectory(runFolder);
        var ours = new MeasuredResults(input.Results, input.Split, input.FullModel);

        var projections = LatentProjectionPlot.Save(Path.Combine(runFolder, ItemLatentsFile), input.Latents,
            input.LatentDomainNames, input.LatentSampleSize, input.Seed);
        var figures = new ReportFigures(
            RecallBarChart.Save(Path.Combine(runFolder, RecallBarsFile), ours) ? RecallBarsFile : null,
            LossCurvePlot.Save(Path.Combine(runFolder, TrainingLossFile), input.RunInfo) ? TrainingLossFile : null,
            projections.Count > 0 ? ItemLatentsFile : null,
            projections,
            ValidationCurves.Save(Path.Combine(runFolder, ValidationRecallFile), input.ValidationCurves) ? ValidationRecallFile : null);

        string resultsPath = Path.Combine(runFolder, ResultsFile);
        new BenchResultsFile
        {
            Results = input.Results,
            RunInfo = input.RunInfo,
            Provenance = input.Provenance,
            Protocol = input.Protocol ?? input.Results.Protocol,
            PaperDomains = ours.Domains.Select(d => (d, p: input.PaperDomainOf(d))).Where(x => x.p is not null)
                .ToDictionary(x => x.d, x => x.p!),
        }.Save(resultsPath);

        string reportPath = Path.Combine(runFolder, ReportFile);
        var verdicts = Verdicts(input, ours);
        AtomicFile.WriteAllText(reportPath, RenderMarkdown(input, figures, verdicts));
        return new BenchReportOutput(reportPath, resultsPath, figures, verdicts);
    }

    /// <summary>The full model against the compared baselines, with the paired intervals of the models that kept ranks.</summary>
    static IReadOnlyList<BaselineVerdict> Verdicts(BenchReportInput input, MeasuredResults ours)
    {
        var index = (input.LatentDomainNames ?? ours.Domains).Select((name, d) => (name, d)).ToDictionary(x => x.name, x => x.d, StringComparer.Ordinal);
        return BaselineVerdicts.Compute(ours, input.ComparedBaselines ?? BaselineVerdicts.DefaultBaselines(ours), input.Ranks,
            name => index.GetValueOrDefault(name, -1));
    }

    /// <summary>Per model: epochs validated, the best validation Recall@10 and where it was reached.</summary>
    static string ValidationTable(IReadOnlyDictionary<string, IReadOnlyList<ValidationPoint>> curves)
    {
        if (curves.Count == 0) return "No model of this run recorded validation curves.\n\n";
        var table = new MarkdownTable("model", "epochs validated", "best validation R@10", "at epoch (stage)", "last");
        foreach (var (model, points) in curves.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var best = points.MaxBy(p => p.Recall10)!;
            table.AddRow(model, points.Count.ToString(CultureInfo.InvariantCulture), best.Recall10.ToString("0.0000", CultureInfo.InvariantCulture),
                $"{best.Epoch} ({best.Stage})", points[^1].Recall10.ToString("0.0000", CultureInfo.InvariantCulture));
        }
        return table + "\n";
    }

    /// <summary>The text of report.md; figures are linked only when given.</summary>
    /// <param name="verdicts">the full model against the baselines, when the caller has computed them (each needs a
    /// bootstrap); null: computed here</param>
    public static string RenderMarkdown(BenchReportInput input, ReportFigures? figures = null, IReadOnlyList<BaselineVerdict>? verdicts = null)
    {
        figures ??= new ReportFigures();
        var ours = new MeasuredResults(input.Results, input.Split, input.FullModel);
        var md = new StringBuilder();
        string dataset = string.IsNullOrWhiteSpace(input.Results.Dataset) ? "(unnamed data set)" : input.Results.Dataset;
        md.Append($"# GenCDR benchmark: {dataset}\n\n");
        md.Append($"Metrics are on the **{ours.Split}** split. \"ours\" rows are measured in this run; \"paper\" rows are ")
          .Append("the published numbers. The paper trained on the full data sets ")
          .Append("with a 7B LLM on GPUs, so its numbers are a reference point, not a like-for-like comparison. Source of the paper's numbers: ")
          .Append(PaperResults.Source).Append("\n\n");

        md.Append("## Does GenCDR beat the baselines?\n\n");
        verdicts ??= Verdicts(input, ours);
        foreach (var sentence in BaselineVerdicts.Sentences(verdicts, ours.Split)) md.Append("- ").Append(sentence).Append('\n');
        md.Append('\n').Append(BaselineVerdicts.Summary(verdicts)).Append("\n\n");

        md.Append("## Differences with their 95 % intervals\n\n");
        md.Append(DifferenceTable.Render(input.FullModel, input.Ranks, input.LatentDomainNames ?? ours.Domains));
        if (input.UserGroups is { } groups)
            md.Append(DifferenceTable.RenderByGroup(input.FullModel, input.Ranks, input.LatentDomainNames ?? ours.Domains, groups));

        md.Append(HarnessCheck.Render(HarnessCheck.Compute(ours, input.PaperDomainOf)));

        md.Append("## Accuracy per domain (as the paper's Table 2)\n\n");
        foreach (var domain in ours.Domains)
        {
            string? paper = input.PaperDomainOf(domain);
            md.Append($"### {domain}\n\n");
            md.Append(paper is null
                ? "The paper has no such domain: only our rows.\n\n"
                : $"Paper domain: {paper} ({PaperResults.ScenarioOf(paper)} scenario).\n\n");
            md.Append(ComparisonTable.Build(ours, domain, paper)).Append('\n');
        }
        if (figures.RecallBars is not null) md.Append($"![Recall@10 per model and domain]({figures.RecallBars})\n\n");

        md.Append("## Ablation (as the paper's Table 3, NDCG@10)\n\n");
        md.Append($"Each cell: NDCG@10 of the variant, and in brackets its relative drop versus the full model ")
          .Append("((full − variant) / full; ↑ marks a gain). Paper cells show the drop the paper prints.");
        if (ours.Variants.Count == 0) md.Append(" No ablation variant was run here.");
        md.Append("\n\n");
        var ablationDomains = ours.HasFullModel
            ? ours.Domains.Where(d => ours.Metric(ours.FullModel, d, PaperResults.AblationMetric) is not null).ToList()
            : ours.Domains.ToList();
        md.Append(AblationTable.Build(ours, ablationDomains, input.PaperDomainOf)).Append('\n');

        md.Append("## Routers\n\n").Append(RouterTable.Render(input.Routing));

        md.Append("## Cost per model\n\n");
        md.Append(EfficiencyTable.Build(ours, input.RunInfo)).Append('\n');

        md.Append("## Validation Recall@10 per epoch\n\n");
        md.Append("Every model on the same fixed validation users. A GenCDR model's per-domain stages (domain-d, router-d) are ")
          .Append("validated on domain d's users only, so their points are not on the mean-over-domains scale of the others.\n\n");
        md.Append(figures.ValidationRecall is not null ? $"![Validation Recall@10 per epoch]({figures.ValidationRecall})\n\n" : "");
        md.Append(ValidationTable(input.ValidationCurves));

        md.Append("## Training loss\n\n");
        md.Append(figures.TrainingLoss is not null ? $"![Training-loss curves]({figures.TrainingLoss})\n\n" : "No loss curves were recorded.\n\n");

        if (figures.ItemLatents is not null)
        {
            md.Append("## Item latents (as the paper's Fig. 3, PCA instead of t-SNE)\n\n");
            md.Append($"![Item latents projected to 2-D, coloured by domain]({figures.ItemLatents})\n\n");
            if (figures.Projections is { } projections)
                for (int i = 0; i < projections.Count && i < input.Latents.Count; i++)
                    md.Append($"- {input.Latents[i].Title}: {projections[i].Indices.Length} of {input.Latents[i].Latents.Length} items; " +
                              $"the two axes explain {(projections[i].ExplainedVarianceRatio.Take(2).Sum() * 100).ToString("0.0", CultureInfo.InvariantCulture)}% of the variance.\n");
            md.Append('\n');
        }

        md.Append("## Protocol\n\n").Append((input.Protocol ?? input.Results.Protocol).Trim()).Append("\n\n");
        md.Append("## Data set\n\n").Append(string.IsNullOrWhiteSpace(input.Provenance) ? "(no provenance given)" : input.Provenance.Trim()).Append('\n');
        return md.ToString();
    }
}
