// Compiled by MSBuild's RoslynCodeTaskFactory (see Nest.TorchNative.targets); keep it to one file
// with no dependencies beyond the BCL and Microsoft.Build.Framework/Utilities.
//
// Why this exists: TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++,
// which adds a version need on GLIBCXX_3.4.32 for the marker symbol _ZSt21ios_base_library_initv.
// Nothing ever calls that symbol, but the dynamic loader refuses the whole library on a system
// whose libstdc++ stops at 3.4.30 (Debian 12), and TorchSharp then reports a misleading
// TypeInitializationException. Marking those version needs VER_FLG_WEAK in the copy that sits in
// the build output makes the loader accept a missing version silently (glibc dl-version.c), while
// any symbol that is really missing still fails at bind time as it should.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenElfVersionNeeds : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>ELF shared objects to patch in place (atomically, through a temporary file).</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Version-name prefix, e.g. "GLIBCXX_3.4.".</summary>
    [Required] public string VersionPrefix { get; set; } = "";

    /// <summary>Needs whose numeric suffix is at least this are made weak.</summary>
    public int MinimumMinor { get; set; }

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var bytes = File.ReadAllBytes(path);
                var changed = Patch(bytes, VersionPrefix, MinimumMinor, out var names);
                if (changed.Count == 0) continue;
                var temp = path + ".nest-tmp";
                File.WriteAllBytes(temp, bytes);
                File.Copy(temp, path, overwrite: true);
                File.Delete(temp);
                Log.LogMessage(MessageImportance.Normal,
                    "Nest: marked version needs {0} weak in {1}", string.Join(", ", changed), path);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("Nest: cannot patch ELF version needs of '{0}': {1}", path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    static List<string> Patch(byte[] elf, string prefix, int minimumMinor, out List<string> names)
    {
        names = new List<string>();
        var changed = new List<string>();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only little-endian ELF64 is supported");

        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + (long)link * shentsize) + 0x18);

            long need = offset;
            while (true)
            {
                int count = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < count; a++)
                {
                    var name = ReadString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    names.Add(name);
                    if (name.StartsWith(prefix, StringComparison.Ordinal)
                        && int.TryParse(name.Substring(prefix.Length), out var minor) && minor >= minimumMinor)
                    {
                        int flagsAt = (int)aux + 4;
                        var flags = BitConverter.ToUInt16(elf, flagsAt);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            flags |= VerFlgWeak;
                            elf[flagsAt] = (byte)flags;
                            elf[flagsAt + 1] = (byte)(flags >> 8);
                            changed.Add(name);
                        }
                    }
                    uint nextAux = BitConverter.ToUInt32(elf, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return changed;
    }

    static string ReadString(byte[] data, long at)
    {
        int end = (int)at;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)at, end - (int)at);
    }
}
