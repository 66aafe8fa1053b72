using System.CommandLine;
using GenCdr.Server;
using GenCdr.Serving;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary><c>gencdr export | serve | items add</c> (and <c>bench serve</c>): a trained run as a model bundle, served over HTTP.</summary>
static class ServeCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Export();
        yield return Serve();
        var items = new Command("items", "Change the items of a model bundle without retraining.");
        items.Subcommands.Add(AddItem());
        yield return items;
    }

    static Option<string> Model() => new("--model") { Description = "A model bundle folder written by `gencdr export`.", Required = true };

    static Command Export()
    {
        var run = new Option<string>("--run") { Description = "A trained run folder (`gencdr train` or `gencdr run`).", Required = true };
        var output = new Option<string>("--out") { Description = "The bundle folder to write, e.g. model.gcdr (an existing bundle there is replaced).", Required = true };
        var reference = new Option<bool>("--reference-backbone") { Description = "With a pretrained backbone: record its path and SHA-256 in bundle.json instead of copying the checkpoint into the bundle (the bundle then loads only where that unchanged checkpoint is)." };
        var command = new Command("export", "Pack a trained run into a model bundle for serving: bundle.json (version, config, counts, SHA-256 of every file), catalog/, semantic-ids.tsv, tokenizer/, recommender/ (and backbone/ for a pretrained backbone).");
        command.Options.Add(run);
        command.Options.Add(output);
        command.Options.Add(reference);
        command.SetGuardedAction(parse =>
        {
            var manifest = ConsoleUi.Status(() => ModelBundle.Export(parse.GetValue(run)!, parse.GetValue(output)!, parse.GetValue(reference)), "exporting");
            var table = new Table().AddColumns("domain", "items");
            foreach (var d in manifest.Domains) table.AddRow(d.Name, d.Items.ToString());
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"{manifest.Users} users, {manifest.Events} events, {manifest.Files.Count} files; bundle written to [green]{Path.GetFullPath(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }

    sealed class ServerFlags
    {
        public readonly Option<int> MaxBatch = new("--max-batch") { Description = "Requests decoded together at most.", DefaultValueFactory = _ => new BatchingOptions().MaxBatch };
        public readonly Option<int> MaxWait = new("--max-wait-ms") { Description = "How long a batch waits for more requests (ms).", DefaultValueFactory = _ => new BatchingOptions().MaxWaitMilliseconds };
        public readonly Option<int> Timeout = new("--timeout-ms") { Description = "Per-request timeout (ms).", DefaultValueFactory = _ => (int)new ServerOptions().RequestTimeout.TotalMilliseconds };

        public void AddTo(Command command)
        {
            command.Options.Add(MaxBatch);
            command.Options.Add(MaxWait);
            command.Options.Add(Timeout);
        }

        public ServerOptions Build(ParseResult parse) => new()
        {
            RequestTimeout = TimeSpan.FromMilliseconds(parse.GetValue(Timeout)),
            Batching = new BatchingOptions { MaxBatch = parse.GetValue(MaxBatch), MaxWaitMilliseconds = parse.GetValue(MaxWait) },
        };
    }

    static Command Serve()
    {
        var model = Model();
        var urls = new Option<string>("--urls") { Description = "Listen URLs, ';'-separated.", DefaultValueFactory = _ => ServerOptions.DefaultUrls };
        var save = new Option<bool>("--save-new-items") { Description = "Write items added with POST /v1/items into the bundle (default: in memory only)." };
        var keyFile = new Option<string?>("--api-key-file")
        {
            Description = $"A file holding the API key that POST /v1/items needs in the {ApiKey.Header} header (default: the environment variable {ApiKey.EnvironmentVariable}; with neither, adding items is refused with 403).",
        };
        var keyForReads = new Option<bool>("--require-key-for-reads") { Description = "Every /v1 endpoint needs the API key, not only those that change the model." };
        var device = Cli.DeviceOption("the bundle's configuration");
        var flags = new ServerFlags();
        var command = new Command("serve", "Serve a model bundle over HTTP (recommendations, items, new items, explorer page at /, OpenAPI at /openapi/v1.json) until Ctrl-C.");
        command.Options.Add(model);
        command.Options.Add(urls);
        command.Options.Add(save);
        command.Options.Add(keyFile);
        command.Options.Add(keyForReads);
        command.Options.Add(device);
        flags.AddTo(command);
        command.SetGuardedAction(parse =>
        {
            Cli.ApplyThreads(parse);
            // the key first: a bad key file fails at once, not after the bundle's load
            var options = flags.Build(parse) with
            {
                Urls = parse.GetValue(urls)!, SaveNewItems = parse.GetValue(save),
                ApiKey = ApiKey.Resolve(parse.GetValue(keyFile)), RequireKeyForReads = parse.GetValue(keyForReads),
            };
            options.Validate();
            string path = parse.GetValue(model)!;
            // the server listens while the bundle loads (/health/live answers, /health/ready says 503), as an orchestrator expects
            string? deviceName = parse.GetValue(device);
            var loading = Task.Run(() => ModelBundle.Load(path, deviceName));
            Action<IServiceCollection>? hold = FirstDecodeHold.Requested ? services => services.AddSingleton<IBatchObserver>(new FirstDecodeHold()) : null;
            using (var app = ServerApp.Build(loading, options, hold))
            {
                string access = options.ApiKey is null ? "no API key: adding items is refused"
                    : options.RequireKeyForReads ? $"every /v1 endpoint needs the {ApiKey.Header} header" : $"adding items needs the {ApiKey.Header} header";
                // watched only once started: a stop asked for before that would make the start itself fail
                app.Lifetime.ApplicationStarted.Register(() =>
                {
                    AnsiConsole.MarkupLineInterpolated($"listening on [link]{string.Join(", ", app.Urls)}[/] (/health/live, /health/ready, /metrics); loading the model bundle {path}");
                    loading.ContinueWith(t =>
                    {
                        if (t.IsCompletedSuccessfully)
                            AnsiConsole.MarkupLineInterpolated($"serving [green]{t.Result.Manifest.Name}[/] (explorer at /, OpenAPI at /openapi/v1.json; {access}); Ctrl-C to stop");
                        else app.Lifetime.StopApplication(); // its error is reported below
                    }, TaskScheduler.Default);
                });
                app.Lifetime.ApplicationStopping.Register(() => AnsiConsole.MarkupLine("stopping: finishing the requests in flight"));
                app.Run(); // returns on Ctrl-C / SIGTERM after in-flight requests finished
            }
            using var bundle = loading.GetAwaiter().GetResult(); // a bundle that failed to load: its error, exit code 1
            AnsiConsole.MarkupLine("stopped");
            return 0;
        });
        return command;
    }

    static Command AddItem()
    {
        var model = Model();
        var domain = new Option<string>("--domain") { Required = true, Description = "The item's domain." };
        var id = new Option<string>("--id") { Required = true, Description = "The item's id (unique in the domain)." };
        var title = new Option<string>("--title") { Required = true, Description = "The item's title." };
        var brand = new Option<string?>("--brand") { Description = "Brand." };
        var categories = new Option<string[]>("--category") { Description = "A category (repeat for several).", AllowMultipleArgumentsPerToken = false };
        var description = new Option<string?>("--description") { Description = "Description." };
        var command = new Command("add", "Add an item to a bundle without retraining: its text gets a unique SID from the bundle's tokenizer; the bundle files and checksums are rewritten.");
        foreach (var option in new Option[] { model, domain, id, title, brand, categories, description }) command.Options.Add(option);
        command.SetGuardedAction(parse =>
        {
            Cli.ApplyThreads(parse);
            using var bundle = ConsoleUi.Status(() => ModelBundle.Load(parse.GetValue(model)!), "loading the model bundle");
            var added = bundle.AddItem(new NewItem
            {
                Id = parse.GetValue(id)!, Domain = parse.GetValue(domain)!, Title = parse.GetValue(title)!,
                Brand = parse.GetValue(brand), Categories = parse.GetValue(categories)?.ToList(), Description = parse.GetValue(description),
            });
            bundle.Save();
            AnsiConsole.MarkupLineInterpolated($"added [green]{added.Item.Item.Id}[/] to {bundle.Catalog.DomainNames[added.Item.Domain]} as item {added.Item.Index} with SID ({string.Join(", ", added.Sid)})");
            return 0;
        });
        return command;
    }

    /// <summary><c>gencdr bench serve</c> (registered under <see cref="BenchCommands"/>).</summary>
    public static Command BenchServe()
    {
        var model = Model();
        var seconds = new Option<double>("--seconds") { Description = "Duration of each concurrency level.", DefaultValueFactory = _ => 10 };
        var requests = new Option<int?>("--requests") { Description = "Requests per client at each level instead of --seconds (the same work on any machine)." };
        requests.Validators.Add(r => { if (r.GetValue(requests) is < 1) r.AddError("--requests must be ≥ 1"); });
        var levels = new Option<int[]>("--concurrency") { Description = "Concurrent clients per level.", DefaultValueFactory = _ => [1, 8, 64], AllowMultipleArgumentsPerToken = true };
        var k = new Option<int>("--k") { Description = "Items per request.", DefaultValueFactory = _ => 10 };
        var device = Cli.DeviceOption("the bundle's configuration");
        var flags = new ServerFlags();
        var command = new Command("serve", "Start the server on loopback and drive it with 1, 8 and 64 concurrent clients: throughput, p50/p95/p99 latency; exit code 1 on any error.");
        foreach (var option in new Option[] { model, seconds, requests, levels, k, device }) command.Options.Add(option);
        flags.AddTo(command);
        command.SetGuardedAction(parse =>
        {
            Cli.ApplyThreads(parse);
            using var bundle = ConsoleUi.Status(() => ModelBundle.Load(parse.GetValue(model)!, parse.GetValue(device)), "loading the model bundle");
            var options = new ServeBenchmarkOptions
            {
                Concurrency = parse.GetValue(levels)!, Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                RequestsPerClient = parse.GetValue(requests), K = parse.GetValue(k),
            };
            var server = flags.Build(parse);
            AnsiConsole.MarkupLineInterpolated($"bench serve: {bundle.Manifest.Name}, k={options.K}, {(options.RequestsPerClient is { } perClient ? $"{perClient} requests per client" : $"{options.Duration.TotalSeconds:F0} s")} per level, batches ≤ {server.Batching.MaxBatch}, wait ≤ {server.Batching.MaxWaitMilliseconds} ms, torch threads {TorchSharp.torch.get_num_threads()}");
            var results = ServeBenchmark.RunAsync(bundle, server, options,
                l => AnsiConsole.MarkupLineInterpolated($"[grey]{l.Load.Concurrency} clients: {l.Load.Requests} requests, {l.Load.Errors} errors[/]")).GetAwaiter().GetResult();
            var table = new Table().AddColumns("clients", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "mean batch");
            foreach (var (r, batch) in results)
                table.AddRow(r.Concurrency.ToString(), r.Requests.ToString(), r.Errors.ToString(), r.RequestsPerSecond.ToString("F1"),
                    r.P50Ms.ToString("F1"), r.P95Ms.ToString("F1"), r.P99Ms.ToString("F1"), batch.ToString("F1"));
            AnsiConsole.Write(table);
            var failed = results.Select(l => l.Load).FirstOrDefault(r => r.Errors > 0);
            if (failed is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {results.Sum(l => l.Load.Errors)} failed requests; first: {failed.FirstError}");
                return 1;
            }
            return 0;
        });
        return command;
    }
}
