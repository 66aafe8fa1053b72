using GenCdr.Data;

namespace GenCdr.Tests.Data;

public sealed class AtomicFileTests : IDisposable
{
    readonly TempFolder _temp = new();
    string _dir => _temp.Path;
    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_writer_that_fails_leaves_the_old_file_and_no_temp_file()
    {
        var path = Path.Combine(_dir, "results.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteText(path, writer =>
        {
            writer.Write("half of the new");
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Path_writers_get_a_unique_temp_path_with_the_target_extension_in_the_target_folder()
    {
        var path = Path.Combine(_dir, "sub", "plot.png");
        var temps = new List<string>();
        for (int i = 0; i < 2; i++) AtomicFile.Write(path, (string temp) => { temps.Add(temp); File.WriteAllText(temp, $"v{i}"); });
        Assert.Equal("v1", File.ReadAllText(path));
        Assert.NotEqual(temps[0], temps[1]);
        Assert.All(temps, t => Assert.Equal(".png", Path.GetExtension(t)));
        Assert.All(temps, t => Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(t)));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
