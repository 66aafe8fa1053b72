using GenCdr.Data;
using ScottPlot;

namespace GenCdr.Benchmark;

/// <summary>Shared plotting conventions: PNGs written to a temp file in the same folder and then moved
/// (a crash never leaves half an image), and one colour per series from a colour-blind-friendly palette.</summary>
static class PlotFiles
{
    static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public static Color ColorOf(int index) => Palette.GetColor(index);

    public static void Save(Plot plot, string path, int width, int height) =>
        Write(path, temp => plot.SavePng(temp, width, height));

    public static void Save(Multiplot plot, string path, int width, int height) =>
        Write(path, temp => plot.SavePng(temp, width, height));

    static void Write(string path, Action<string> save) => AtomicFile.Write(path, save);
}
