using System.CommandLine;
using GenCdr.Data;

namespace GenCdr.Cli.Commands;

/// <summary>The options that pick and prepare a data set, shared by every command that reads data.</summary>
sealed class DataOptions
{
    public readonly Option<string> Data = new("--data")
    {
        Description = "Data set: 'builtin' (generated, the default), a catalog name (sports-clothing, clothing-beauty, " +
                      "amazon2014-sports, …), domains joined by '+', a prepared data folder, or a JSON file of domain specs.",
        DefaultValueFactory = _ => DataConfig.BuiltIn,
    };
    public readonly Option<string> DataRoot = new("--data-root")
    {
        Description = "Folder the catalog's relative paths are resolved against (e.g. ../shared/data).",
        DefaultValueFactory = _ => ".",
    };
    public readonly Option<int?> MaxUsers = new("--max-users") { Description = "Keep a seeded random sample of at most N users." };
    public readonly Option<int> KCore = new("--kcore") { Description = "k-core filter per domain (0 = off; the Amazon files are 5-core already)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(DataRoot);
        command.Options.Add(MaxUsers);
        command.Options.Add(KCore);
    }

    /// <summary>The data section of a run's configuration: the base one with the options given on the command line.</summary>
    public DataConfig Apply(ParseResult parse, DataConfig baseConfig)
    {
        var config = baseConfig;
        if (IsGiven(parse, Data)) config = config with { Source = parse.GetValue(Data)! };
        if (IsGiven(parse, DataRoot)) config = config with { DataRoot = parse.GetValue(DataRoot)! };
        if (IsGiven(parse, MaxUsers)) config = config with { Preparation = config.Preparation with { MaxUsers = parse.GetValue(MaxUsers) } };
        if (IsGiven(parse, KCore)) config = config with { Preparation = config.Preparation with { KCore = parse.GetValue(KCore) } };
        return config;
    }

    static bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
