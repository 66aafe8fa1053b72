using System.CommandLine;
using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Training;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary><c>gencdr recommend --run DIR --user ID --domain NAME -k 10</c>: one user's recommendations with
/// titles and semantic IDs, next to the history they come from.</summary>
static class RecommendCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "A trained run folder.", Required = true };
        var user = new Option<string>("--user") { Description = "The user's raw id.", Required = true };
        var domain = new Option<string>("--domain") { Description = "The domain to recommend from.", Required = true };
        var k = new Option<int>("-k", "--top") { Description = "How many items.", DefaultValueFactory = _ => 10 };
        var device = Cli.DeviceOption("the run's configuration");
        var command = new Command("recommend", "Recommend the next items of a domain for a known user, from their whole history.");
        foreach (var option in new Option[] { run, user, domain, k, device }) command.Options.Add(option);
        command.SetGuardedAction(parse =>
        {
            var (folder, saved) = RunFolder.Open(parse.GetValue(run)!);
            var config = Cli.ApplyDevice(parse, device, saved);
            Cli.ApplyThreads(parse);
            var (data, sids, model) = ConsoleUi.Status(() => GenCdrPipeline.Load(folder, config), "loading the run");
            string userId = parse.GetValue(user)!;
            int u = IndexOf(data.UserIds, userId) ?? throw new GenCdrException($"unknown user '{userId}' in {folder.Data}");
            int d = data.DomainIndex(parse.GetValue(domain)!);
            int top = parse.GetValue(k);
            if (top < 1) throw new GenCdrException("-k must be at least 1");

            var history = data.Histories[u];
            var shown = new Table().Title($"history of {Markup.Escape(userId)} (last {Math.Min(history.Length, config.Recommender.MaxItems)} items are used)")
                .AddColumns("date", "domain", "item", "title", "SID");
            foreach (var e in history.TakeLast(config.Recommender.MaxItems))
                shown.AddRow(Row(data, sids, e.Domain, e.Item, DateTimeOffset.FromUnixTimeSeconds(e.Timestamp).ToString("yyyy-MM-dd")));
            AnsiConsole.Write(shown);

            var decoded = model.Decode([new RecommendationQuery(u, history, d)], top).PerUser[0];
            var table = new Table().Title($"top {top} of {Markup.Escape(data.DomainNames[d])}").AddColumns("rank", "domain", "item", "title", "SID", "log P");
            int rank = 1;
            foreach (var r in decoded)
                table.AddRow([.. Row(data, sids, d, r.Item, (rank++).ToString()), r.Score.ToString("F3")]);
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    static string[] Row(PreparedDataset data, SemanticIds sids, int domain, int item, string first)
    {
        var it = data.Items[domain][item];
        return [first, Markup.Escape(data.DomainNames[domain]), Markup.Escape(it.Id), Markup.Escape(it.Text.Title),
            string.Join("-", sids.Codes(domain, item))];
    }

    static int? IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (int i = 0; i < ids.Count; i++) if (ids[i] == id) return i;
        return null;
    }
}
