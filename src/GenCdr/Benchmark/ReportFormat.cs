using System.Globalization;

namespace GenCdr.Benchmark;

/// <summary>How numbers appear in the report, in one place: metrics to 4 decimals as in the paper,
/// relative drops as "↓6.5%" (a gain as "↑1.2%"), a missing value as an en dash.</summary>
public static class ReportFormat
{
    public const string Missing = "–";

    public static string Metric(double? value) =>
        value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : Missing;

    public static string Drop(double? percent) => percent switch
    {
        null => Missing,
        >= 0 => $"↓{percent.Value.ToString("0.0", CultureInfo.InvariantCulture)}%",
        _ => $"↑{(-percent.Value).ToString("0.0", CultureInfo.InvariantCulture)}%",
    };

    public static string Number(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : Missing;

    /// <summary>"Recall@10" → "R@10", "NDCG@5" → "N@5": the paper's column names.</summary>
    public static string ShortMetric(string metric) =>
        metric.StartsWith("Recall@", StringComparison.Ordinal) ? "R@" + metric["Recall@".Length..]
        : metric.StartsWith("NDCG@", StringComparison.Ordinal) ? "N@" + metric["NDCG@".Length..]
        : metric;
}
