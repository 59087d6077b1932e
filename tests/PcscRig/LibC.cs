using System.Runtime.InteropServices;

namespace TiBillet.PcscRig;

/// <summary>The few libc calls the rig needs: signals (Process.Kill only sends SIGKILL) and the effective user.</summary>
public static partial class LibC
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc.so.6", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
