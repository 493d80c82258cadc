using Nest.Runtime.Training;
using Spectre.Console;

namespace Nest.Cli;

/// <summary>
/// Shows training progress: a live bar with loss, accuracy and ETA on a terminal; one plain line per
/// epoch when the output is redirected or --no-progress is given (so logs stay readable).
/// </summary>
public static class TrainingView
{
    public static TrainingResult Run(bool live, string title, Func<IProgress<TrainingProgress>, TrainingResult> train,
        TextWriter plain)
    {
        if (!live)
            return train(new InlineProgress<TrainingProgress>(p =>
            {
                if (p.Completed is { } e) plain.WriteLine(EpochLine(p, e));
            }));

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1.0);
                result = train(new InlineProgress<TrainingProgress>(p =>
                {
                    task.Value = (p.Epoch - 1 + (double)p.Batch / p.Batches) / Math.Max(1, p.Epochs);
                    task.Description =
                        Markup.Escape($"{title}  epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}  acc {p.Accuracy:P2}"
                        + (p.Completed is { } e && !double.IsNaN(e.ValidationError)
                            ? $"  val err {e.ValidationError:P2}" : ""));
                    if (p.Completed is { } done) AnsiConsole.MarkupLine(Markup.Escape(EpochLine(p, done)));
                }));
                task.Value = 1.0;
            });
        return result!;
    }

    static string EpochLine(TrainingProgress p, EpochResult e) =>
        $"epoch {e.Epoch}/{p.Epochs}  loss {e.TrainLoss:F4}  train acc {e.TrainAccuracy:P2}  val err {e.ValidationError:P2}  lr {e.LearningRate:G3}  {e.Seconds:F1} s"
        + (p.Remaining is { } r ? $"  ETA {r:hh\\:mm\\:ss}" : "");
}
