using Nest.Runtime.Training;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// Everything the grow-then-prune loop needs: how long to train, how much to grow and prune per
/// step, when to stop. Saved with every run. One default schedule for every seed and data set: every
/// error limit is relative to what the run measures (the converged network's validation error and the
/// validation set's sampling noise at its size), never an absolute error.
/// </summary>
public sealed record SynthesisSchedule
{
    /// <summary>Training of every phase (its Epochs is ignored: each phase sets its own).</summary>
    public TrainingOptions Training { get; init; } = new() { MinBatchesPerEpoch = 400 };

    /// <summary>Before the seed is trained, a short check of <see cref="TrainingOptions.LearningRate"/>: this many
    /// batches from the seed's initial weights; a rate under which the training loss does not fall (or diverges) is
    /// halved and checked again, and the run trains at the first rate that passes (see <see cref="RateCheck"/>).
    /// 0: off.</summary>
    public int RateCheckBatches { get; init; } = 100;

    /// <summary>Epochs of training the seed before growth.</summary>
    public int SeedEpochs { get; init; } = 10;

    /// <summary>When set, growth also stops once the validation error is at or below this (a fraction).</summary>
    public double? GrowthTargetError { get; init; }

    /// <summary>Growth stops when a step lowers the best validation error so far by less than this many of its
    /// standard errors (<see cref="ValidationNoise"/>): growth has stopped paying for itself on this data. Below 0:
    /// never for lack of gain (only the step budget, the width caps or the reference size end growth).</summary>
    public double GrowthMinGain { get; init; } = 1;

    /// <summary>At most this many growth steps.</summary>
    public int MaxGrowthSteps { get; init; } = 5;

    /// <summary>Epochs of training after each growth step.</summary>
    public int GrowthEpochs { get; init; } = 6;

    /// <summary>Epochs of training the grown network (cosine from the base rate) before pruning begins:
    /// each growth step trains only <see cref="GrowthEpochs"/>, and every pruned network descends from
    /// this one (as does the distillation teacher). 0: prune at once.</summary>
    public int ConvergeEpochs { get; init; } = 30;

    /// <summary>Connection growth: dormant connections switched on per step, as a fraction of each layer's live ones.</summary>
    public double ConnectionGrowthRatio { get; init; } = 1.0;

    /// <summary>Batches whose gradients are summed to score dormant connections.</summary>
    public int GradientBatches { get; init; } = 50;

    /// <summary>Neuron growth: neurons added per step to each hidden dense layer, as a fraction of its width (bounded by MaxWidth).</summary>
    public double NeuronGrowthRatio { get; init; } = 0.25;

    /// <summary>Neuron growth: the fraction of (m, n) pairs, ranked by |G|, that a new neuron connects (the top-beta percentile).</summary>
    public double NeuronGrowthBeta { get; init; } = 0.01;

    /// <summary>Birth strength alpha: a new neuron's weights are rescaled to alpha x the layer's mean live magnitude.</summary>
    public double BirthStrength { get; init; } = 0.3;

    /// <summary>Pruning: the fraction of each layer's live connections removed per step.</summary>
    public double PruneFraction { get; init; } = 0.2;

    /// <summary>The pruning limit, when no <see cref="TargetError"/> is given: the converged network's validation
    /// error plus this many of its standard errors at the validation set's size (<see cref="ValidationNoise"/>), so
    /// that one default means the same at 1% and at 11% error, on 500 or on 5,000 validation examples: a step is
    /// undone only when its error is beyond what resampling the validation set would plausibly give.</summary>
    public double LimitStandardErrors { get; init; } = 3;

    /// <summary>When set, a pruning step taken once the kept network is <see cref="LatePruneFromCompression"/>
    /// times smaller than the reference (in parameters) removes at most this fraction, and a halved
    /// fraction recovers only up to it: the late steps, where a network has the least to spare, go in
    /// smaller bites with the same retraining each. Null: <see cref="PruneFraction"/> throughout.</summary>
    /// <remarks>Measured on LeNet-300-100 at 0.1 from 20x (one paired run, 1.8% target): validation and test
    /// error 0.13-0.24% lower from 30x to 74x than the same run without it. As the default it took the main
    /// command (1.0% target, 2 threads) on to 46.8x on validation readings of 1.04-1.10% while the test error
    /// rose to 1.31%, against 1.12% at 42.3x without it: smaller steps creep further on lucky readings, so it is
    /// off by default and suits a size budget (<see cref="StopAtCompression"/>) better than an error limit.
    /// Together with 30 converge epochs it held (LeNet-300-100's seed defaults now: the main command 1.06% at
    /// 40.5x, lower test error at every level to 40x than with neither).</remarks>
    public double? LatePruneFraction { get; init; } = 0.1;

    /// <summary>The compression from which <see cref="LatePruneFraction"/> applies.</summary>
    public double LatePruneFromCompression { get; init; } = 20;

    /// <summary>The largest fraction a pruning step may take when the kept network is
    /// <paramref name="compression"/> times smaller than the reference.</summary>
    public double PruneFractionAt(double compression) =>
        LatePruneFraction is { } late && compression >= LatePruneFromCompression ? Math.Min(late, PruneFraction) : PruneFraction;

    /// <summary>Pruning scores a connection |w| / c^exponent, c being its multiply-accumulates per example
    /// (see <see cref="Pruning.MagnitudePruning.CostExponent"/>): above 0, convolutions lose weights
    /// before dense layers of the same magnitudes. No effect on dense-only networks.</summary>
    public double PruneCostExponent { get; init; }

    /// <summary>When set, <see cref="PruneCostExponent"/> applies only once the kept network has this many
    /// times fewer parameters than the reference: magnitude alone until then. Thinning the convolutions
    /// from the start (measured on LeNet-5) leaves them too weak for every later step; late, it trades
    /// the remaining weights for FLOPs.</summary>
    public double? PruneCostFromCompression { get; init; }

    /// <summary>The cost exponent of a pruning step taken when the kept network is
    /// <paramref name="compression"/> times smaller than the reference (in parameters).</summary>
    public double PruneCostExponentAt(double compression) =>
        PruneCostFromCompression is { } from && compression < from ? 0 : PruneCostExponent;

    /// <summary>A rejected pruning step halves the fraction; pruning ends when it falls below this.</summary>
    public double MinPruneFraction { get; init; } = 0.01;

    /// <summary>After this many accepted steps in a row, a halved fraction doubles again (up to
    /// <see cref="PruneFraction"/>): one unlucky step, often just validation noise, should not slow
    /// the rest of the run for good. 0: never.</summary>
    public int PruneRecoverySteps { get; init; } = 2;

    /// <summary>Partial-area convolution: the fraction of each convolution's live area positions masked
    /// per pruning step (scaled as the connection fraction is halved and recovers). 0: off. At 0.2,
    /// LeNet-5's second pruning step took the validation error from 0.74% to 1.12% and was undone,
    /// as were the next two at half and a quarter of it: the areas went faster than the weights.</summary>
    public double AreaPruneFraction { get; init; } = 0.1;

    /// <summary>How partial-area pruning ranks area positions: by their contribution (the default, NeST's
    /// |I * K|) or by the first-order loss change of masking them (<see cref="Pruning.AreaScore.Taylor"/>,
    /// over <see cref="AreaTaylorBatches"/> batches of 128 training images).</summary>
    /// <remarks>Measured on LeNet-5 (one run each, bench/results/ablations): Taylor matched the contribution
    /// run's test error from 30x to 47x with 20-25% fewer FLOPs at the same parameters; it read higher from 8x
    /// to 28x, which a second run (stopped at 30x) did not. Off until a full second run confirms the FLOPs.</remarks>
    public Pruning.AreaScore AreaScore { get; init; }

    /// <summary>Batches of 128 training images whose gradients give the Taylor area scores.</summary>
    public int AreaTaylorBatches { get; init; } = 8;

    /// <summary>Partial-area masks go per (output map, input map) pair on convolutions with at most this
    /// many input maps, and per output map on the others (per pair, a convolution over many input maps
    /// trains about 5x slower: measured on LeNet-5's second).</summary>
    public int AreaPairMaxInputs { get; init; } = 1;

    /// <summary>Learning rate of retraining after pruning and of the final fine-tuning, as a share of the rate the
    /// seed trained at (after the rate check): lower than that, since a high rate at the start of each short
    /// retraining shakes a converged network more than the pruning step did.</summary>
    public double PruneRateFactor { get; init; } = 0.2;

    /// <summary>When set, the absolute learning rate of retraining and fine-tuning (instead of <see cref="PruneRateFactor"/>).</summary>
    public double? PruneLearningRate { get; init; }

    /// <summary>Epochs of retraining after each pruning step.</summary>
    public int PruneEpochs { get; init; } = 4;

    /// <summary>When set, the retraining after a pruning step taken once the kept network is
    /// <see cref="LatePruneFromCompression"/> times smaller than the reference runs this many epochs instead
    /// of <see cref="PruneEpochs"/>: the late steps, which cost the most accuracy, recover longer. Null:
    /// <see cref="PruneEpochs"/> throughout.</summary>
    public int? LatePruneEpochs { get; init; }

    /// <summary>Retraining epochs of a pruning step taken when the kept network is <paramref name="compression"/>
    /// times smaller than the reference.</summary>
    public int PruneEpochsAt(double compression) =>
        LatePruneEpochs is { } late && compression >= LatePruneFromCompression ? late : PruneEpochs;

    /// <summary>Retraining after pruning and the final fine-tuning end with the mean of the iterates of their
    /// last this many epochs (<see cref="TrainingOptions.AverageEpochs"/>): the network judged and kept is
    /// the average, not the last batch's. 0: off.</summary>
    public int AverageEpochs { get; init; }

    /// <summary>A pruning step whose validation error is over the limit is retrained (another
    /// <see cref="PruneEpochs"/>) up to this many times, and kept once the mean of its readings is
    /// within the limit; else undone. 0: undo at once.</summary>
    public int PruneRetries { get; init; } = 1;

    /// <summary>At most this many pruning steps.</summary>
    public int MaxPruneSteps { get; init; } = 60;

    /// <summary>An absolute margin (a fraction) added to the pruning limit; 0 by default, the limit's own margin being
    /// <see cref="LimitStandardErrors"/>.</summary>
    public double PruneTolerance { get; init; }

    /// <summary>Pruning also stops once the network has this many times fewer parameters than the dense
    /// reference (a size budget rather than an error budget); null: no such stop.</summary>
    public double? StopAtCompression { get; init; }

    /// <summary>
    /// After connection pruning ends, up to this many steps that mask convolution area positions alone
    /// (partial-area convolution at <see cref="AreaPruneFraction"/>, halved when a step is undone), each kept
    /// or undone as any pruning step: FLOPs fall, and parameters only where the masked positions leave
    /// connections reading a constant (folded into biases) or nothing. 0: off (the default).
    /// </summary>
    /// <remarks>For a FLOPs budget: connection pruning thins the dense layers, where the parameters are, while
    /// a convolution's FLOPs lie in its area (a first convolution's few weights each compute at hundreds of
    /// positions). Measured on LeNet-5 after a stop at 75x (one run): 7 of 12 steps kept, 21.3x -> 25.2x FLOPs
    /// and, through folding, 83x -> 95x parameters, test error 0.82% -> 0.84%: started at the validation limit,
    /// it trims the FLOPs rather than halving them.</remarks>
    public int AreaTailSteps { get; init; }

    /// <summary>The area tail (<see cref="AreaTailSteps"/>) stops once the kept network has this many times fewer
    /// FLOPs than the dense reference, and does not start when it has already: with a FLOPs budget, each
    /// tail step past it would only spend accuracy (every kept step sits at the validation limit). Null:
    /// the tail runs its steps.</summary>
    public double? StopAtFlopsCompression { get; init; }

    /// <summary>The validation error pruning must keep, absolute; null (the default): the converged network's error
    /// plus <see cref="LimitStandardErrors"/> of its standard errors.</summary>
    public double? TargetError { get; init; }

    /// <summary>Epochs of fine-tuning the kept network at the end.</summary>
    public int FinalEpochs { get; init; } = 4;

    /// <summary>Knowledge distillation during pruning and the final fine-tuning: the share of the loss
    /// that follows the outputs the network had when pruning began (see <see cref="Training.Distillation"/>).
    /// 0: off, plain cross-entropy.</summary>
    public double DistillationWeight { get; init; } = 0.5;

    /// <summary>The temperature that softens the teacher's outputs for distillation.</summary>
    public double DistillationTemperature { get; init; } = 4;

    /// <summary>Whether the distillation teacher runs live on every batch as the student sees it
    /// (<see cref="SnapshotTeacher"/>: one more forward pass per batch) instead of being recorded once on
    /// the undistorted images. With distorted training images a recorded teacher describes a slightly
    /// different image from the one the student is shown.</summary>
    public bool DistillationLive { get; init; }

    /// <summary>
    /// Epochs of sparse variational dropout (<see cref="Pruning.SparseVariationalDropout"/>) between the
    /// converged network and magnitude pruning: trained with Adam, the weights whose dropout rate grows past
    /// <see cref="VariationalThreshold"/> are masked at once, the rest retrained as a pruning step (kept, or
    /// undone, under the same limit), and magnitude pruning goes on from there. 0: off (the default).
    /// </summary>
    public int VariationalEpochs { get; init; }

    /// <summary>Adam's learning rate during the variational epochs.</summary>
    public double VariationalLearningRate { get; init; } = 1e-3;

    /// <summary>log alpha above which a weight is masked after the variational epochs (3: alpha 20).</summary>
    public double VariationalThreshold { get; init; } = 3;

    /// <summary>Share of the variational epochs over which the KL term's weight rises from 0 to 1.</summary>
    public double VariationalWarmup { get; init; } = 0.25;

    /// <summary>g in the variational step's cost factor: each convolution weight's KL term is multiplied by its
    /// multiply-accumulates per example to the power g, so the prior thins costly layers first (0: every weight
    /// alike, as in the paper; see <see cref="PruneCostExponent"/> for the same idea in magnitude pruning).</summary>
    public double VariationalCostExponent { get; init; }

    /// <summary>Throws with the field's name when a value cannot work.</summary>
    public void Validate()
    {
        Training.Validate();
        if (SeedEpochs < 0 || GrowthEpochs < 0 || ConvergeEpochs < 0 || PruneEpochs < 0 || FinalEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(SeedEpochs), "epochs must not be negative");
        if (RateCheckBatches < 0) throw new ArgumentOutOfRangeException(nameof(RateCheckBatches), RateCheckBatches, "must not be negative");
        if (!double.IsFinite(GrowthMinGain)) throw new ArgumentOutOfRangeException(nameof(GrowthMinGain), GrowthMinGain, "must be a finite number");
        if (GrowthTargetError is { } g && !double.IsFinite(g)) throw new ArgumentOutOfRangeException(nameof(GrowthTargetError), g, "must be a finite number");
        if (!(LimitStandardErrors >= 0) || double.IsInfinity(LimitStandardErrors)) throw new ArgumentOutOfRangeException(nameof(LimitStandardErrors), LimitStandardErrors, "must be a finite number, at least 0");
        if (!(PruneTolerance >= 0) || double.IsInfinity(PruneTolerance)) throw new ArgumentOutOfRangeException(nameof(PruneTolerance), PruneTolerance, "must be a finite number, at least 0");
        if (TargetError is { } t && !(t >= 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(TargetError), t, "must be in [0, 1]");
        if (!(PruneRateFactor > 0) || double.IsInfinity(PruneRateFactor)) throw new ArgumentOutOfRangeException(nameof(PruneRateFactor), PruneRateFactor, "must be positive");
        if (PruneLearningRate is { } plr && !(plr > 0 && double.IsFinite(plr))) throw new ArgumentOutOfRangeException(nameof(PruneLearningRate), plr, "must be positive");
        if (MaxGrowthSteps < 0) throw new ArgumentOutOfRangeException(nameof(MaxGrowthSteps), MaxGrowthSteps, "must not be negative");
        if (PruneCostExponent is < 0 or > 4) throw new ArgumentOutOfRangeException(nameof(PruneCostExponent), PruneCostExponent, "must be in [0, 4]");
        if (LatePruneEpochs < 0) throw new ArgumentOutOfRangeException(nameof(LatePruneEpochs), LatePruneEpochs, "must not be negative");
        if (AverageEpochs < 0) throw new ArgumentOutOfRangeException(nameof(AverageEpochs), AverageEpochs, "must not be negative");
        if (PruneRetries < 0) throw new ArgumentOutOfRangeException(nameof(PruneRetries), PruneRetries, "must not be negative");
        if (AreaTailSteps < 0) throw new ArgumentOutOfRangeException(nameof(AreaTailSteps), AreaTailSteps, "must not be negative");
        if (MaxPruneSteps < 0) throw new ArgumentOutOfRangeException(nameof(MaxPruneSteps), MaxPruneSteps, "must not be negative");
        if (ConnectionGrowthRatio < 0) throw new ArgumentOutOfRangeException(nameof(ConnectionGrowthRatio), ConnectionGrowthRatio, "must not be negative");
        if (NeuronGrowthRatio < 0) throw new ArgumentOutOfRangeException(nameof(NeuronGrowthRatio), NeuronGrowthRatio, "must not be negative");
        if (NeuronGrowthBeta is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(NeuronGrowthBeta), NeuronGrowthBeta, "must be in (0, 1]");
        if (BirthStrength < 0) throw new ArgumentOutOfRangeException(nameof(BirthStrength), BirthStrength, "must not be negative");
        if (PruneFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(PruneFraction), PruneFraction, "must be in [0, 1)");
        if (PruneCostFromCompression is <= 0 || double.IsNaN(PruneCostFromCompression ?? 0)) throw new ArgumentOutOfRangeException(nameof(PruneCostFromCompression), PruneCostFromCompression, "must be positive");
        if (LatePruneFraction is <= 0 or >= 1 || double.IsNaN(LatePruneFraction ?? 0)) throw new ArgumentOutOfRangeException(nameof(LatePruneFraction), LatePruneFraction, "must be in (0, 1)");
        if (!(LatePruneFromCompression >= 1)) throw new ArgumentOutOfRangeException(nameof(LatePruneFromCompression), LatePruneFromCompression, "must be at least 1");
        if (StopAtFlopsCompression is <= 1 || double.IsNaN(StopAtFlopsCompression ?? 2)) throw new ArgumentOutOfRangeException(nameof(StopAtFlopsCompression), StopAtFlopsCompression, "must be above 1");
        if (StopAtCompression is <= 1) throw new ArgumentOutOfRangeException(nameof(StopAtCompression), StopAtCompression, "must be above 1");
        if (PruneRecoverySteps < 0) throw new ArgumentOutOfRangeException(nameof(PruneRecoverySteps), PruneRecoverySteps, "must not be negative");
        if (AreaTaylorBatches < 1) throw new ArgumentOutOfRangeException(nameof(AreaTaylorBatches), AreaTaylorBatches, "must be positive");
        if (AreaPairMaxInputs < 0) throw new ArgumentOutOfRangeException(nameof(AreaPairMaxInputs), AreaPairMaxInputs, "must not be negative");
        if (AreaPruneFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(AreaPruneFraction), AreaPruneFraction, "must be in [0, 1)");
        if (MinPruneFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(MinPruneFraction), MinPruneFraction, "must be in (0, 1)");
        if (DistillationWeight is < 0 or > 1 || double.IsNaN(DistillationWeight)) throw new ArgumentOutOfRangeException(nameof(DistillationWeight), DistillationWeight, "must be in [0, 1]");
        if (DistillationTemperature < 1 || double.IsInfinity(DistillationTemperature)) throw new ArgumentOutOfRangeException(nameof(DistillationTemperature), DistillationTemperature, "must be at least 1");
        if (VariationalEpochs < 0) throw new ArgumentOutOfRangeException(nameof(VariationalEpochs), VariationalEpochs, "must not be negative");
        if (!(VariationalLearningRate > 0) || double.IsInfinity(VariationalLearningRate)) throw new ArgumentOutOfRangeException(nameof(VariationalLearningRate), VariationalLearningRate, "must be positive");
        if (double.IsNaN(VariationalThreshold) || double.IsInfinity(VariationalThreshold)) throw new ArgumentOutOfRangeException(nameof(VariationalThreshold), VariationalThreshold, "must be a number");
        if (VariationalCostExponent is < 0 or > 4 || double.IsNaN(VariationalCostExponent)) throw new ArgumentOutOfRangeException(nameof(VariationalCostExponent), VariationalCostExponent, "must be in [0, 4]");
        if (VariationalWarmup is < 0 or > 1 || double.IsNaN(VariationalWarmup)) throw new ArgumentOutOfRangeException(nameof(VariationalWarmup), VariationalWarmup, "must be in [0, 1]");
        if (GradientBatches < 1) throw new ArgumentOutOfRangeException(nameof(GradientBatches), GradientBatches, "must be positive");
    }
}
