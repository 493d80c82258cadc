using System.Text;
using System.Text.Json;
using Nest.Runtime.Pruning;

namespace Nest.Runtime.Synthesis;

/// <summary> Everything a synthesis carries from one step to the next, taken between two steps: the network (any
/// shape), the distillation teacher's network, the random stream of growth and pruning, the loops' position, the step
/// number, the last validation error, the target, and the history. There is no optimizer state to hold: every step's
/// training starts its own optimizer (seeded by the step number), so at a step boundary none is alive. Resumed from it,
/// a run takes the same decisions and ends with the same masks and metrics as one never stopped. </summary>
/// <remarks>File layout (<see cref="ChecksummedFile"/>): "NESTCKPT", a format version, a JSON header, the generator
/// state, the network, the teacher (optional), and the SHA-256 of all that: a truncated or altered file is
/// refused.</remarks>
public sealed record SynthesisCheckpoint(
    CheckpointHeader Header,
    byte[] GeneratorState,
    NetworkState Network,
    NetworkState? Teacher)
{
    static readonly byte[] Magic = "NESTCKPT"u8.ToArray();
    const int FormatVersion = 1;

    // Any value a run can produce, an infinite one included, is written ("Infinity"): a checkpoint is never lost to it.
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false, NumberHandling =
            System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Checks that a run of <paramref name="seed"/> under <paramref name="schedule"/> on a split of <paramref
    /// name="trainCount"/> / <paramref name="validationCount"/> images (with <paramref name="fingerprint"/>, see <see
    /// cref="Data.DataFingerprint"/>, when known) can resume from this checkpoint.</summary> <exception
    /// cref="InvalidOperationException">It cannot: the message says what differs.</exception>
    public void EnsureResumable(string seed, SynthesisSchedule schedule, int trainCount, int validationCount,
        string? fingerprint = null)
    {
        var h = Header;
        if (h.Seed != seed)
            throw new InvalidOperationException($"The checkpoint is of seed '{h.Seed}', not '{seed}'.");
        if (h.Schedule != ScheduleJson(schedule))
            throw new InvalidOperationException("The checkpoint was taken under another schedule (or by a build of Nest " +
                                                "whose options differ); resume with the options, and the build, of the " +
                                                "run that wrote it.");
        EnsureSameData(trainCount, validationCount, fingerprint);
    }

    /// <summary>The schedule's records that act only once the grown network has converged: a converged network may be
    /// pruned again under other values of these (<see cref="EnsurePrunable"/>).</summary>
    public static IReadOnlyList<string> PruningRecords { get; } =
        [nameof(SynthesisSchedule.Pruning), nameof(SynthesisSchedule.Area), nameof(SynthesisSchedule.Variational),
         nameof(SynthesisSchedule.Distillation)];

    /// <summary>Checks that a run of <paramref name="seed"/> under <paramref name="schedule"/> can prune this
    /// checkpoint's network again: taken when the grown network had converged (the start of pruning), on the same data,
    /// under a schedule that differs at most in <see cref="PruningRecords"/>, so that the seed, growth and convergence
    /// phases are those <paramref name="schedule"/> would have run.</summary>
    /// <exception cref="InvalidOperationException">It cannot: the message says what differs.</exception>
    public void EnsurePrunable(string seed, SynthesisSchedule schedule, int trainCount, int validationCount,
        string? fingerprint = null)
    {
        var h = Header;
        EnsureTaken(seed, SynthesisStage.Converged, "when the grown network had converged (the start of pruning)");
        var theirs = GrownPart(h.Schedule);
        foreach (var (name, value) in GrownPart(ScheduleJson(schedule)))
            if (!theirs.TryGetValue(name, out var other) || other != value)
                throw new InvalidOperationException(
                    $"The converged network was made under another {name} setting ({other ?? "none"}; this run: {value}): " +
                    $"only {string.Join(", ", PruningRecords)} may differ when a converged network is pruned again " +
                    "(or the build of Nest differs).");
        EnsureSameData(trainCount, validationCount, fingerprint);
    }

    /// <summary>The records and pruning options that act only after the variational step: a sparsified network may be
    /// pruned again under other values of these (<see cref="EnsurePrunableAfterSparsifying"/>). The others (the
    /// variational step's, the limit's, the retraining's after each step, the teacher's) shaped the network it holds.
    /// </summary>
    public static IReadOnlyList<string> LoopRecords { get; } =
        [nameof(SynthesisSchedule.Area), $"{nameof(SynthesisSchedule.Pruning)}.{nameof(PruningOptions.Fraction)}",
         $"{nameof(SynthesisSchedule.Pruning)}.{nameof(PruningOptions.LateFraction)}",
         $"{nameof(SynthesisSchedule.Pruning)}.{nameof(PruningOptions.LateFromCompression)}",
         $"{nameof(SynthesisSchedule.Pruning)}.{nameof(PruningOptions.MinFraction)}",
         $"{nameof(SynthesisSchedule.Pruning)}.{nameof(PruningOptions.RecoverySteps)}",
         $"{nameof(SynthesisSchedule.Pruning)}.{nameof(PruningOptions.MaxSteps)}",
         $"{nameof(SynthesisSchedule.Pruning)}.{nameof(PruningOptions.StopAtCompression)}"];

    /// <summary>Checks that a run of <paramref name="seed"/> under <paramref name="schedule"/> can prune this
    /// checkpoint's network again from where its variational step left it: taken then, on the same data, under a
    /// schedule that differs at most in <see cref="LoopRecords"/>, so that every phase before the magnitude loop is the
    /// one <paramref name="schedule"/> would have run.</summary>
    /// <exception cref="InvalidOperationException">It cannot: the message says what differs.</exception>
    public void EnsurePrunableAfterSparsifying(string seed, SynthesisSchedule schedule, int trainCount,
        int validationCount, string? fingerprint = null)
    {
        EnsureTaken(seed, SynthesisStage.Sparsified, "once the variational step was settled");
        var theirs = Settings(Header.Schedule, LoopRecords);
        foreach (var (name, value) in Settings(ScheduleJson(schedule), LoopRecords))
            if (!theirs.TryGetValue(name, out var other) || other != value)
                throw new InvalidOperationException(
                    $"The sparsified network was made under another {name} setting ({other ?? "none"}; this run: " +
                    $"{value}): only {string.Join(", ", LoopRecords)} may differ when it is pruned again.");
        EnsureSameData(trainCount, validationCount, fingerprint);
    }

    void EnsureTaken(string seed, SynthesisStage stage, string when)
    {
        if (Header.Seed != seed)
            throw new InvalidOperationException($"The checkpoint is of seed '{Header.Seed}', not '{seed}'.");
        if (Header.Position.Stage != stage)
            throw new InvalidOperationException(
                $"The checkpoint was taken at stage {Header.Position.Stage}, not {when}.");
    }

    // Every setting of the schedule, one level deep ("Pruning.Epochs"), but those named in (or under) left out, each as
    // its JSON text.
    static Dictionary<string, string> Settings(string scheduleJson, IReadOnlyList<string> leftOut)
    {
        bool Left(string name) => leftOut.Contains(name, StringComparer.OrdinalIgnoreCase);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (record, value) in System.Text.Json.Nodes.JsonNode.Parse(scheduleJson)!.AsObject())
        {
            if (Left(record)) continue;
            if (value is System.Text.Json.Nodes.JsonObject fields)
                foreach (var (field, fieldValue) in fields.Where(f => !Left($"{record}.{f.Key}")))
                    settings[$"{record}.{field}"] = fieldValue?.ToJsonString() ?? "null";
            else settings[record] = value?.ToJsonString() ?? "null";
        }
        return settings;
    }

    // The schedule's top-level settings other than the pruning records, each as its JSON text.
    static Dictionary<string, string> GrownPart(string scheduleJson)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(scheduleJson)!.AsObject();
        return node.Where(p => !PruningRecords.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(p => p.Key, p => p.Value?.ToJsonString() ?? "null");
    }

    void EnsureSameData(int trainCount, int validationCount, string? fingerprint)
    {
        var h = Header;
        if (h.TrainCount != trainCount || h.ValidationCount != validationCount)
            throw new InvalidOperationException($"The checkpoint's run had {h.TrainCount:N0} training and {h.ValidationCount:N0} validation images, " +
                                                $"this one {trainCount:N0} and {validationCount:N0}.");
        if (fingerprint is not null && h.DataFingerprint is { } taken && taken != fingerprint)
            throw new InvalidOperationException($"The checkpoint's run had other data (fingerprint {taken}, this one {fingerprint}); " +
                                                "resume with the data it was taken on.");
    }

    internal static string ScheduleJson(SynthesisSchedule schedule) => JsonSerializer.Serialize(schedule, Json);

    /// <summary>The checkpoint as bytes, checksum last.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(JsonSerializer.Serialize(Header, Json));
            writer.Write(GeneratorState.Length);
            writer.Write(GeneratorState);
            Network.Write(writer);
            writer.Write(Teacher is not null);
            Teacher?.Write(writer);
        }
        return ChecksummedFile.Frame(Magic, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Reads a checkpoint from <paramref name="bytes"/>.</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, another format version, or its checksum does not
    /// match (truncated, altered), with the reason.</exception>
    public static SynthesisCheckpoint FromBytes(byte[] bytes)
    {
        var body = ChecksummedFile.Unframe(bytes, Magic, "a Nest checkpoint");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, body.Length), Encoding.UTF8);
            var version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException($"format version {version}; this Nest reads version {FormatVersion}");
            var header = JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString(), Json)
                ?? throw new InvalidDataException("an empty header");
            var generator = reader.ReadBytes(reader.ReadInt32());
            var network = NetworkState.Read(reader);
            var teacher = reader.ReadBoolean() ? NetworkState.Read(reader) : null;
            return new SynthesisCheckpoint(header, generator, network, teacher);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException)
        {
            // The checksum matched, so the writer itself wrote something this reader cannot follow.
            throw new InvalidDataException($"unreadable although its checksum matches ({e.Message})", e);
        }
    }
}

/// <summary>A checkpoint's small fields, stored as JSON.</summary> <param name="Seed">The seed's name: a checkpoint
/// resumes only the seed it was taken from.</param> <param name="Schedule">The schedule as JSON: a checkpoint resumes
/// only under the same schedule.</param> <param name="TrainCount">Training images, checked on resume (another split
/// would change every step).</param> <param name="ValidationCount">Validation images, checked likewise.</param> <param
/// name="Step">The last step number used.</param> <param name="Error">The last validation error measured.</param>
/// <param name="Target">The pruning target (set once converged; 0 before).</param> <param name="Seconds">Run time so
/// far, so that the history's clock continues.</param> <param name="Position">Where the loops stand.</param> <param
/// name="History">Every step recorded so far.</param> <param name="Divergences">Trainings rerun at half the rate so far
/// (<see cref="SynthesisResult.Divergences"/>).</param> <param name="DataFingerprint">The data the run saw (<see
/// cref="Data.DataFingerprint"/>): a checkpoint resumes only on the same data.</param>
public sealed record CheckpointHeader(
    string Seed,
    string Schedule,
    int TrainCount,
    int ValidationCount,
    int Step,
    double Error,
    double Target,
    double Seconds,
    SynthesisPosition Position,
    IReadOnlyList<SynthesisStep> History,
    int Divergences = 0,
    string? DataFingerprint = null);
