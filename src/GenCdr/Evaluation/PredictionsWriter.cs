using GenCdr.Data;

namespace GenCdr.Evaluation;

/// <summary>
/// Writes every evaluated query's ranked list as a TSV with a header, one line per query:
/// model, user id, domain name, split, the ranked item ids (raw ids, comma-separated, best first), the held-out
/// item id. Raw ids make the file readable against the source data. Written atomically.
/// </summary>
public static class PredictionsWriter
{
    public const string Header = "model\tuser\tdomain\tsplit\tranked_items\theld_out_item";

    public static void Write(string path, PreparedDataset data, params IEnumerable<EvaluationResult> results)
    {
        AtomicFile.WriteText(path, writer =>
        {
            writer.WriteLine(Header);
            foreach (var result in results)
            {
                string split = result.Split.ToString().ToLowerInvariant();
                foreach (var r in result.Rankings)
                {
                    var items = data.Items[r.Target.Domain];
                    writer.Write(result.Model);
                    writer.Write('\t');
                    writer.Write(data.UserIds[r.Target.User]);
                    writer.Write('\t');
                    writer.Write(data.DomainNames[r.Target.Domain]);
                    writer.Write('\t');
                    writer.Write(split);
                    writer.Write('\t');
                    writer.Write(string.Join(',', r.Ranked.Select(i => items[i].Id)));
                    writer.Write('\t');
                    writer.WriteLine(items[r.TargetItem].Id);
                }
            }
        });
    }
}
