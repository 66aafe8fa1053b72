// Makes TorchSharp's native shim load on hosts whose libstdc++ is older than GCC 13 (Debian 12).
//
// libLibTorchSharp.so (TorchSharp-cpu 0.107.0) records a need for the symbol version GLIBCXX_3.4.32,
// which Debian 12's libstdc++ (up to GLIBCXX_3.4.30) lacks, so the dynamic loader refuses the file.
// The only symbol under that version is std::ios_base_library_init, emitted by GCC 13's <iostream>
// as a bare reference that no relocation uses. Marking the version need as weak (VER_FLG_WEAK in
// vna_flags of its Elf64_Vernaux entry) lets the loader accept the file; nothing else changes.
//
// This one file serves two uses: the MSBuild inline task in Directory.Build.targets compiles it
// (with the task class below), and the test project compiles it with GENCDR_ELF_TESTS defined to
// test the patcher on small ELF fixtures.
#nullable enable
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

public static class ElfVersionNeedPatcher
{
    public const ushort VerFlgWeak = 0x2;
    const uint ShtGnuVerneed = 0x6ffffffe;

    public enum Outcome { Patched, AlreadyPatched, NoSuchVersion }

    /// <summary>Sets VER_FLG_WEAK on the version need named <paramref name="version"/>.
    /// Writes through a temporary file and a move, so a failure never leaves a half-written library.
    /// Throws <see cref="InvalidDataException"/> when the file is not the ELF layout this expects.</summary>
    public static Outcome Patch(string path, string version)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long? flagsOffset = FindVernauxFlagsOffset(bytes, version, path);
        if (flagsOffset is null) return Outcome.NoSuchVersion;
        ushort flags = BitConverter.ToUInt16(bytes, (int)flagsOffset.Value);
        if ((flags & VerFlgWeak) != 0) return Outcome.AlreadyPatched;
        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(bytes, (int)flagsOffset.Value);
        string temp = path + ".patching";
        File.WriteAllBytes(temp, bytes);
        File.Copy(temp, path, overwrite: true); // netstandard (the inline task) has no Move(…, overwrite)
        File.Delete(temp);
        return Outcome.Patched;
    }

    /// <summary>True when some file's bytes contain the version name as a NUL-terminated string;
    /// used to see whether the host's libstdc++ already defines the version.</summary>
    public static bool FileDefinesVersion(string path, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        byte[] hay = File.ReadAllBytes(path);
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Returns the file offset of vna_flags of the Vernaux entry named <paramref name="version"/>,
    /// or null when the file has no such entry.</summary>
    public static long? FindVernauxFlagsOffset(byte[] b, string version, string pathForErrors)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{pathForErrors}: unexpected ELF layout: {what}");
        }
        Require(b.Length >= 64, "shorter than an ELF64 header");
        Require(b[0] == 0x7f && b[1] == (byte)'E' && b[2] == (byte)'L' && b[3] == (byte)'F', "no ELF magic");
        Require(b[4] == 2, "not ELFCLASS64");
        Require(b[5] == 1, "not little-endian");

        ulong shoff = BitConverter.ToUInt64(b, 0x28);
        ushort shentsize = BitConverter.ToUInt16(b, 0x3A);
        ushort shnum = BitConverter.ToUInt16(b, 0x3C);
        Require(shentsize == 64, $"section header size {shentsize}, expected 64");
        Require(shoff > 0 && shoff + (ulong)shnum * 64 <= (ulong)b.Length, "section headers outside the file");

        for (int s = 0; s < shnum; s++)
        {
            int sh = (int)shoff + s * 64;
            uint type = BitConverter.ToUInt32(b, sh + 4);
            if (type != ShtGnuVerneed) continue;
            ulong offset = BitConverter.ToUInt64(b, sh + 0x18);
            ulong size = BitConverter.ToUInt64(b, sh + 0x20);
            uint link = BitConverter.ToUInt32(b, sh + 0x28);
            uint count = BitConverter.ToUInt32(b, sh + 0x2C); // sh_info = number of Verneed entries
            Require(offset + size <= (ulong)b.Length, ".gnu.version_r outside the file");
            Require(link < shnum, "sh_link of .gnu.version_r names no section");
            int strSh = (int)shoff + (int)link * 64;
            ulong strOff = BitConverter.ToUInt64(b, strSh + 0x18);
            ulong strSize = BitConverter.ToUInt64(b, strSh + 0x20);
            Require(strOff + strSize <= (ulong)b.Length, "string table outside the file");

            string Name(uint at)
            {
                Require(at < strSize, "name offset outside the string table");
                int start = (int)(strOff + at), end = start;
                while (end < (int)(strOff + strSize) && b[end] != 0) end++;
                return Encoding.ASCII.GetString(b, start, end - start);
            }

            // Elf64_Verneed {u16 vn_version, u16 vn_cnt, u32 vn_file, u32 vn_aux, u32 vn_next}
            // Elf64_Vernaux {u32 vna_hash, u16 vna_flags, u16 vna_other, u32 vna_name, u32 vna_next}
            ulong need = offset;
            for (uint n = 0; n < count; n++)
            {
                Require(need + 16 <= offset + size, "Verneed entry outside its section");
                ushort vnVersion = BitConverter.ToUInt16(b, (int)need);
                Require(vnVersion == 1, $"Verneed version {vnVersion}, expected 1");
                ushort auxCount = BitConverter.ToUInt16(b, (int)need + 2);
                uint auxRel = BitConverter.ToUInt32(b, (int)need + 8);
                uint nextRel = BitConverter.ToUInt32(b, (int)need + 12);
                ulong aux = need + auxRel;
                for (int a = 0; a < auxCount; a++)
                {
                    Require(aux + 16 <= offset + size, "Vernaux entry outside its section");
                    uint nameAt = BitConverter.ToUInt32(b, (int)aux + 8);
                    if (Name(nameAt) == version) return (long)aux + 4;
                    uint auxNext = BitConverter.ToUInt32(b, (int)aux + 12);
                    if (auxNext == 0) break;
                    aux += auxNext;
                }
                if (nextRel == 0) break;
                need += nextRel;
            }
            return null;
        }
        return null;
    }
}

#if !GENCDR_ELF_TESTS
/// <summary>MSBuild task: patches the given copies of libLibTorchSharp.so unless the host libstdc++
/// already defines the version or the host is not Linux.</summary>
public class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();
    public string Version { get; set; } = "GLIBCXX_3.4.32";

    static readonly string[] HostLibStdCxx =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return true;
        string? host = Array.Find(HostLibStdCxx, File.Exists);
        if (host != null && ElfVersionNeedPatcher.FileDefinesVersion(host, Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{host} defines {Version}: no patch needed.");
            return true;
        }
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var outcome = ElfVersionNeedPatcher.Patch(path, Version);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"{path}: {outcome}");
            }
            catch (InvalidDataException e)
            {
                Log.LogError(e.Message);
                return false;
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
