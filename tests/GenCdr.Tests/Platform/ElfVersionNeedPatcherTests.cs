using System.Text;

namespace GenCdr.Tests.Platform;

/// <summary>The build step that makes TorchSharp load on Debian 12 (build/ElfVersionNeedPatcher.cs),
/// tested on minimal ELF64 files made here: a header, a string table and a .gnu.version_r section.</summary>
public class ElfVersionNeedPatcherTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("gencdr-elf-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An ELF64 file whose only section of interest needs libstdc++.so.6 with the given versions.</summary>
    static byte[] MakeElf(params string[] versions)
    {
        var strtab = new MemoryStream();
        strtab.WriteByte(0);
        int Add(string s) { int at = (int)strtab.Length; strtab.Write(Encoding.ASCII.GetBytes(s + "\0")); return at; }
        int file = Add("libstdc++.so.6");
        int[] names = versions.Select(Add).ToArray();
        byte[] str = strtab.ToArray();

        int strOff = 64, verOff = (strOff + str.Length + 7) / 8 * 8;
        int verSize = 16 + 16 * versions.Length;
        int shOff = (verOff + verSize + 7) / 8 * 8;
        var b = new byte[shOff + 3 * 64];
        void U16(int at, int v) => BitConverter.GetBytes((ushort)v).CopyTo(b, at);
        void U32(int at, long v) => BitConverter.GetBytes((uint)v).CopyTo(b, at);
        void U64(int at, long v) => BitConverter.GetBytes((ulong)v).CopyTo(b, at);

        b[0] = 0x7f; b[1] = (byte)'E'; b[2] = (byte)'L'; b[3] = (byte)'F'; b[4] = 2; b[5] = 1; b[6] = 1;
        U64(0x28, shOff); U16(0x3A, 64); U16(0x3C, 3);
        str.CopyTo(b, strOff);
        // Elf64_Verneed, then its Vernaux entries back to back.
        U16(verOff, 1); U16(verOff + 2, versions.Length); U32(verOff + 4, file); U32(verOff + 8, 16); U32(verOff + 12, 0);
        for (int i = 0; i < versions.Length; i++)
        {
            int aux = verOff + 16 + 16 * i;
            U32(aux, 0x1234 + i); U16(aux + 4, 0); U16(aux + 6, 2 + i); U32(aux + 8, names[i]);
            U32(aux + 12, i + 1 < versions.Length ? 16 : 0);
        }
        int strSh = shOff + 64, verSh = shOff + 128;
        U32(strSh + 4, 3); U64(strSh + 0x18, strOff); U64(strSh + 0x20, str.Length);
        U32(verSh + 4, 0x6ffffffe); U64(verSh + 0x18, verOff); U64(verSh + 0x20, verSize); U32(verSh + 0x28, 1); U32(verSh + 0x2C, 1);
        return b;
    }

    string Write(byte[] bytes)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".so");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Patch_sets_the_weak_flag_on_exactly_the_named_version_and_nothing_else()
    {
        byte[] original = MakeElf("GLIBCXX_3.4.30", "GLIBCXX_3.4.32");
        string path = Write(original);

        Assert.Equal(ElfVersionNeedPatcher.Outcome.Patched, ElfVersionNeedPatcher.Patch(path, "GLIBCXX_3.4.32"));

        byte[] patched = File.ReadAllBytes(path);
        long at = ElfVersionNeedPatcher.FindVernauxFlagsOffset(patched, "GLIBCXX_3.4.32", path)!.Value;
        Assert.Equal(ElfVersionNeedPatcher.VerFlgWeak, BitConverter.ToUInt16(patched, (int)at));
        long other = ElfVersionNeedPatcher.FindVernauxFlagsOffset(patched, "GLIBCXX_3.4.30", path)!.Value;
        Assert.Equal(0, BitConverter.ToUInt16(patched, (int)other));
        int differing = original.Zip(patched).Count(p => p.First != p.Second);
        Assert.Equal(1, differing);
    }

    [Fact]
    public void Second_run_is_a_no_op()
    {
        string path = Write(MakeElf("GLIBCXX_3.4.32"));
        ElfVersionNeedPatcher.Patch(path, "GLIBCXX_3.4.32");
        byte[] once = File.ReadAllBytes(path);
        Assert.Equal(ElfVersionNeedPatcher.Outcome.AlreadyPatched, ElfVersionNeedPatcher.Patch(path, "GLIBCXX_3.4.32"));
        Assert.Equal(once, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_file_without_the_entry_is_left_byte_identical()
    {
        byte[] original = MakeElf("GLIBCXX_3.4.29", "GLIBCXX_3.4.30");
        string path = Write(original);
        Assert.Equal(ElfVersionNeedPatcher.Outcome.NoSuchVersion, ElfVersionNeedPatcher.Patch(path, "GLIBCXX_3.4.32"));
        Assert.Equal(original, File.ReadAllBytes(path));
    }

    [Fact]
    public void An_unexpected_layout_fails_loudly_and_leaves_the_file_alone()
    {
        byte[] notElf = Encoding.ASCII.GetBytes(new string('x', 200));
        string path = Write(notElf);
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Patch(path, "GLIBCXX_3.4.32"));
        Assert.Contains(path, e.Message);
        Assert.Equal(notElf, File.ReadAllBytes(path));

        byte[] bad = MakeElf("GLIBCXX_3.4.32");
        BitConverter.GetBytes((ushort)40).CopyTo(bad, 0x3A); // a section header size no ELF64 file has
        Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Patch(Write(bad), "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void The_shim_in_the_test_output_no_longer_needs_the_version_strictly()
    {
        if (!OperatingSystem.IsLinux()) return;
        string shim = Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).First();
        byte[] bytes = File.ReadAllBytes(shim);
        long? at = ElfVersionNeedPatcher.FindVernauxFlagsOffset(bytes, "GLIBCXX_3.4.32", shim);
        Assert.NotNull(at); // TorchSharp 0.107.0's shim declares the need …
        string host = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        if (File.Exists(host) && !ElfVersionNeedPatcher.FileDefinesVersion(host, "GLIBCXX_3.4.32"))
            Assert.Equal(ElfVersionNeedPatcher.VerFlgWeak, BitConverter.ToUInt16(bytes, (int)at!.Value) & ElfVersionNeedPatcher.VerFlgWeak); // … and the build made it weak
    }
}
